#pragma once

// Output places that differ between cold runs of one input (docs/checks.md,
// "Values that change from run to run"). Cold executions run every task on a
// fresh worker with empty scratch, so nothing an earlier task left can explain
// a difference between two of them: a value there comes from a clock, a random
// draw, a process id or host name, or a durable store. Such a place proves
// nothing about local state, so the differential leaves it out of every
// comparison and says so.

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::checks::detail {

/// A place in an output: member names and `*` for "every element of an
/// array" (outputs of Map states vary per element, and element counts
/// differ), unescaped.
using VaryingPath = std::vector<std::string>;

/// Adds to `paths` every place where `a` and `b` differ: a member on one
/// side only, an array whose length differs (the array itself), or any
/// other value that is not equal. Array elements are paired by index and
/// recorded under `*`.
void add_differing_paths(const nlohmann::json& a, const nlohmann::json& b,
                         std::set<VaryingPath>& paths);

/// `value` with every place in `paths` taken out: a member is removed, an
/// array element or the whole document is replaced by the string
/// `<varies between cold runs>`. Two outputs that differ only at those
/// places are equal afterwards.
nlohmann::json without_varying_paths(nlohmann::json value, const std::set<VaryingPath>& paths);

/// `/took_ms`, `/items/*/worker`; `(root)` for the whole document.
std::string to_pointer_text(const VaryingPath& path);

}  // namespace loveless::checks::detail
