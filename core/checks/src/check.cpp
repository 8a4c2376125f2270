#include "loveless/checks/check.hpp"

#include <exception>

namespace loveless::checks {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::vector<history::Phase> Check::phases() const {
  return {history::Phase::kControl, history::Phase::kCold, history::Phase::kChaos};
}

Verdict judge(const Check& check, const history::History& history) noexcept {
  std::string name;
  try {
    name = check.name();
    auto verdict = check.evaluate(history);
    if (verdict.check.empty()) verdict.check = name;
    if (verdict.phases.empty()) verdict.phases = check.phases();
    return verdict;
  } catch (const std::exception& e) {
    Verdict verdict;
    verdict.check = name.empty() ? "unnamed check" : name;
    verdict.outcome = Outcome::kUnknown;
    verdict.summary = "the check threw an exception";
    verdict.evidence.push_back({std::string("exception: ") + e.what(), nlohmann::json::object()});
    return verdict;
  } catch (...) {
    Verdict verdict;
    verdict.check = name.empty() ? "unnamed check" : name;
    verdict.outcome = Outcome::kUnknown;
    verdict.summary = "the check threw a non-standard exception";
    return verdict;
  }
}

}  // namespace loveless::checks
