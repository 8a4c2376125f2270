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

  [[nodiscard]] Verdict evaluate(const scenario::History& history) const override {
    Verdict verdict;
    verdict.check = name();
    if (history.executions.empty()) {
      verdict.summary = "no execution ran";
      return verdict;
    }
    std::size_t expected[2] = {0, 0};
    std::size_t total[2] = {0, 0};
    std::vector<Evidence> evidence;
    for (const auto phase : {scenario::Phase::kControl, scenario::Phase::kChaos}) {
      const auto p = static_cast<std::size_t>(phase);
      for (const auto* execution : history.executions_in(phase)) {
        ++total[p];
        if (execution->status == status_) {
          ++expected[p];
          continue;
        }
        evidence.push_back(describe(history, *execution));
      }
    }
    const auto count = expected[0] + expected[1];
    const auto all = total[0] + total[1];
    const std::string what = status_ == "SUCCEEDED" ? " succeeded" : " ended " + status_;
    verdict.summary = std::to_string(count) + " of " + std::to_string(all) + " executions" + what +
                      " (control " + std::to_string(expected[0]) + " of " +
                      std::to_string(total[0]) + ", chaos " + std::to_string(expected[1]) + " of " +
                      std::to_string(total[1]) + ")";
    verdict.outcome = evidence.empty() ? Outcome::kPass : Outcome::kFail;
    verdict.measurements = {{"executions", all},
                            {"expected_status", status_},
                            {"as_expected", count},
                            {"control", {{"executions", total[0]}, {"as_expected", expected[0]}}},
                            {"chaos", {{"executions", total[1]}, {"as_expected", expected[1]}}}};
    detail::cap_evidence(evidence, detail::kEvidenceLimit, "executions");
    verdict.evidence = std::move(evidence);
    return verdict;
  }

 private:
  static Evidence describe(const scenario::History& history,
                           const scenario::ExecutionRecord& execution) {
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
