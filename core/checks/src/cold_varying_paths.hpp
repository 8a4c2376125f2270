#pragma once

// Output places that differ between cold runs of one input (docs/checks.md,
// "Values that change from run to run"). Cold executions run every task on a
// fresh worker with empty scratch, so nothing an earlier task left can explain
// a difference between two of them: a value there comes from a clock, a random
// draw, a process id or host name, or a durable store. Such a place proves
// nothing about local state, so the differential leaves it out of every
// comparison and says so.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::checks::detail {

/// A place in an output: member names and `*` for "every element of an
/// array" (outputs of Map states vary per element, and element counts
/// differ), unescaped.
using VaryingPath = std::vector<std::string>;

/// The places where cold runs of one input differed.
struct VaryingPlaces {
  /// Left out whole: a member on one side only, an array whose length
  /// differs, a number, a string whose words do not pair up.
  std::set<VaryingPath> whole;
  /// Strings with as many whitespace-separated words on both sides that
  /// differed in some of them (`"processed 5 words in 153 ms"`): only those
  /// words (0-based) are left out, so the rest of the text is compared.
  std::map<VaryingPath, std::set<std::size_t>> words;

  [[nodiscard]] bool empty() const { return whole.empty() && words.empty(); }
  /// `/took_ms`, `/items/*/worker`, `/message (word 5)`; `(root)` for the
  /// whole document; words 1-based.
  [[nodiscard]] std::set<std::string> describe() const;
};

/// Adds to `places` every place where `a` and `b` differ. Array elements
/// are paired by index and recorded under `*`.
void add_differing_places(const nlohmann::json& a, const nlohmann::json& b, VaryingPlaces& places);

/// `value` with every place in `places` taken out: a member is removed, an
/// array element or the whole document is replaced by the string
/// `<varies between cold runs>`, and a varying word of a string by `<varies>`.
/// Two outputs that differ only at those places are equal afterwards.
nlohmann::json without_varying_places(nlohmann::json value, const VaryingPlaces& places);

}  // namespace loveless::checks::detail
