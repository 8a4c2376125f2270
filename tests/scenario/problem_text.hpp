#pragma once
// How the scenario validation tests read a list of problems.

#include <string>
#include <vector>

namespace loveless::testing {

// Whether any of PROBLEMS contains TEXT.
inline bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& problem : problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}

// PROBLEMS one per line, for a failure message.
inline std::string all(const std::vector<std::string>& problems) {
  std::string text;
  for (const auto& p : problems) text += p + "\n";
  return text;
}

}  // namespace loveless::testing
