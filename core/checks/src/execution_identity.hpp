#pragma once

#include <nlohmann/json.hpp>

#include "loveless/history/history.hpp"

namespace loveless::checks::detail {

/// `value` with every occurrence of `execution`'s own ARN and name, in any
/// string (values and member names, at any depth), replaced by
/// `<execution arn>` and `<execution name>`.
///
/// The runner names each phase's executions differently (`control-0001-a`,
/// `cold-0001-a`, `chaos-0001-a`), so a workflow that carries its execution's
/// identity into its output or a task's (a correlation id from
/// `$$.Execution.Id`, a key built from `$$.Execution.Name`) would differ
/// between phases for no reason of its own. The comparisons of outputs mask
/// it first: that difference is the runner's, never local state.
nlohmann::json without_execution_identity(nlohmann::json value,
                                          const history::ExecutionRecord& execution);

}  // namespace loveless::checks::detail
