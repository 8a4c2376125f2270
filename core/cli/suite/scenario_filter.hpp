#pragma once

#include <string>
#include <vector>

namespace loveless::cli {

/// Selects scenarios as Catch2 selects test cases: a name (with `*` as a
/// wildcard at either end), or a tag expression: `[a][b]` (both tags),
/// `~[slow]` (not tagged slow), `,` between alternatives (`[kill],[pause]`).
/// An empty filter selects everything.
class ScenarioFilter {
 public:
  explicit ScenarioFilter(const std::string& expression);
  [[nodiscard]] bool matches(const std::string& name, const std::vector<std::string>& tags) const;

 private:
  struct Term {
    std::string name_pattern;
    std::vector<std::string> required_tags;
    std::vector<std::string> excluded_tags;
  };
  std::vector<Term> alternatives_;
};

}  // namespace loveless::cli
