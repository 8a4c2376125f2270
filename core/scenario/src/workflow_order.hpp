#pragma once

// The order in which a scenario's workflows are deployed: a workflow that
// starts another (`state_machine_arn("child")`) needs the child's ARN first.

#include <cstddef>
#include <string>
#include <vector>

#include "loveless/scenario/detail/resolved_scenario.hpp"

namespace loveless::scenario::detail {

struct WorkflowOrder {
  /// Indexes into the workflows, each after every workflow it references.
  std::vector<std::size_t> order;
  /// Set when references form a cycle (none of it can be deployed first):
  /// `a -> b -> a`. `order` is then empty.
  std::string cycle;
};

/// Orders `workflows` by their `state_machine_arn` references. A reference to
/// a workflow that is not declared is left to validation and ignored here.
WorkflowOrder deployment_order(const std::vector<ResolvedWorkflow>& workflows);

}  // namespace loveless::scenario::detail
