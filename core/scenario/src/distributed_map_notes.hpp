#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::scenario::detail {

/// The names of the distributed Map states (ProcessorConfig Mode
/// DISTRIBUTED) anywhere in an ASL `definition`: in Parallel branches and in
/// other Maps' processors too. Anything that is not a state machine gives none.
std::vector<std::string> distributed_map_states(const nlohmann::json& definition);

/// The console note for a scenario with the disposability check whose
/// workflow `workflow` runs the distributed Maps `states`: the tasks of their
/// child executions are not in the history the checks read
/// (docs/checks.md). Empty when `states` is.
std::string distributed_map_note(const std::string& workflow,
                                 const std::vector<std::string>& states);

}  // namespace loveless::scenario::detail
