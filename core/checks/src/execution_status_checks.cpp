// all_executions_succeed / all_executions_end_in: every execution of both
// phases ended in the expected status.

#include <utility>

#include "loveless/checks/builtin.hpp"

#include "check_support.hpp"

namespace loveless::checks {

namespace {

class AllExecutionsEndIn final : public Check {
 public:
  explicit AllExecutionsEndIn(std::string status) : status_(std::move(status)) {}

  [[nodiscard]] std::string name() const override {
    return status_ == "SUCCEEDED" ? "all executions succeeded" : "all executions ended " + status_;
  }

  [[nodiscard]] Verdict evaluate(const history::History& history) const override {
    Verdict verdict;
    verdict.check = name();
    if (history.executions.empty()) {
      verdict.summary = "no execution ran";
      return verdict;
    }
    // Cold executions (docs/checks.md, no_local_state_reliance) are
    // executions like any other: a worker that fails on a fresh worker fails here too.
    constexpr history::Phase kPhases[] = {history::Phase::kControl, history::Phase::kCold,
                                          history::Phase::kChaos};
    std::size_t expected[3] = {0, 0, 0};
    std::size_t total[3] = {0, 0, 0};
    std::vector<Evidence> evidence;
    for (std::size_t p = 0; p < 3; ++p) {
      for (const auto* execution : history.executions_in(kPhases[p])) {
        ++total[p];
        if (execution->status == status_) {
          ++expected[p];
          continue;
        }
        evidence.push_back(describe(history, *execution));
      }
    }
    const auto count = expected[0] + expected[1] + expected[2];
    const auto all = total[0] + total[1] + total[2];
    const std::string what = status_ == "SUCCEEDED" ? " succeeded" : " ended " + status_;
    std::string per_phase;
    for (std::size_t p = 0; p < 3; ++p) {
      // A run without a cold phase reads as before.
      if (kPhases[p] == history::Phase::kCold && total[p] == 0) continue;
      per_phase += std::string(per_phase.empty() ? "" : ", ") +
                   std::string(history::to_string(kPhases[p])) + " " + std::to_string(expected[p]) +
                   " of " + std::to_string(total[p]);
    }
    verdict.summary = std::to_string(count) + " of " + std::to_string(all) + " executions" + what +
                      " (" + per_phase + ")";
    verdict.outcome = evidence.empty() ? Outcome::kPass : Outcome::kFail;
    verdict.measurements = {
        {"executions", all}, {"expected_status", status_}, {"as_expected", count}};
    for (std::size_t p = 0; p < 3; ++p) {
      if (kPhases[p] == history::Phase::kCold && total[p] == 0) continue;
      verdict.measurements[std::string(history::to_string(kPhases[p]))] = {
          {"executions", total[p]}, {"as_expected", expected[p]}};
    }
    detail::cap_evidence(evidence, detail::kEvidenceLimit, "executions");
    verdict.evidence = std::move(evidence);
    return verdict;
  }

 private:
  static Evidence describe(const history::History& history,
                           const history::ExecutionRecord& execution) {
    std::string text = detail::execution_label(execution) + " (input " +
                       std::to_string(execution.input_index) + ") ";
    if (execution.status == "NOT_STARTED") {
      text += "did not start";
    } else if (execution.status == "RUNNING") {
      text += "was still RUNNING when the run ended";
    } else {
      text += "ended " + (execution.status.empty() ? std::string("(no status)") : execution.status);
    }
    if (!execution.error.empty()) text += " with " + execution.error;
    if (!execution.cause.empty()) text += " (" + detail::truncate(execution.cause, 160) + ")";
    const auto faults = detail::summarize_attribution(history, execution);
    text += "; " + faults.text;
    auto data = detail::execution_data(execution);
    data["error"] = execution.error;
    data["cause"] = execution.cause;
    data["faults"] = faults.data;
    return {std::move(text), std::move(data)};
  }

  std::string status_;
};

}  // namespace

CheckPtr all_executions_succeed() { return std::make_shared<AllExecutionsEndIn>("SUCCEEDED"); }

CheckPtr all_executions_end_in(std::string status) {
  return std::make_shared<AllExecutionsEndIn>(std::move(status));
}

}  // namespace loveless::checks
