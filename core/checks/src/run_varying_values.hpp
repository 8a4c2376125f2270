#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::checks::detail {

/// The JSON Pointers at which `a` and `b` differ, when every difference is a
/// value that changes from run to run by nature: on both sides a string that
/// is an RFC 3339 timestamp (`$$.State.EnteredTime`, a `generated_at` a
/// worker writes), or on both sides a UUID (a random id). nullopt when
/// anything else differs, or a member or element is on one side only.
///
/// Two runs of a stateless workflow differ there whatever their workers kept,
/// so such a difference proves no reliance on local state.
std::optional<std::vector<std::string>> run_varying_differences(const nlohmann::json& a,
                                                                const nlohmann::json& b);

}  // namespace loveless::checks::detail
