#include <catch2/catch.hpp>

#include "checks/check_fixtures.hpp"

using namespace loveless;
using namespace loveless::testing;
using history::TaskOutcome;

namespace {

/// Two inputs; in the chaos phase count-words-2 is killed while it runs
/// CountWords of doc-1, which then fails with States.Timeout and no cause (as
/// AWS records a missed heartbeat).
HistoryFixture two_inputs(bool chaos_fails) {
  HistoryFixture f;
  f.phases();
  f.execution(Phase::kControl, 0, "doc-0-control", "SUCCEEDED", 1, 3, {{"total", 10}});
  f.execution(Phase::kControl, 1, "doc-1-control", "SUCCEEDED", 1, 4, {{"total", 20}});
  f.execution(Phase::kChaos, 0, "doc-0-chaos", "SUCCEEDED", 11, 13, {{"total", 10}});
  auto& doc1 = f.execution(Phase::kChaos, 1, "doc-1-chaos", chaos_fails ? "FAILED" : "SUCCEEDED",
                           11, 16, chaos_fails ? nlohmann::json() : nlohmann::json{{"total", 20}});
  if (chaos_fails) doc1.error = "States.Timeout";
  f.task("doc-1-chaos", "CountWords", "count-words-2", 11.5, 13.5, TaskOutcome::kTimedOut,
         "States.Timeout");
  f.fault(FaultKind::kKill, "count-words-2", 12.0);
  return f;
}

}  // namespace

TEST_CASE("all_executions_succeed passes when every execution of both phases succeeded",
          "[checks][status]") {
  const auto f = two_inputs(false);
  const auto verdict = f.judge(checks::all_executions_succeed());
  CHECK(verdict.check == "all executions succeeded");
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "4 of 4 executions succeeded (control 2 of 2, chaos 2 of 2)");
  CHECK(verdict.evidence.empty());
  CHECK(verdict.measurements["as_expected"] == 4);
}

TEST_CASE("all_executions_succeed fails naming the failed execution and the fault before it",
          "[checks][status]") {
  const auto f = two_inputs(true);
  const auto verdict = f.judge(checks::all_executions_succeed());
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary == "3 of 4 executions succeeded (control 2 of 2, chaos 1 of 2)");
  REQUIRE(verdict.evidence.size() == 1);
  const auto& evidence = verdict.evidence[0];
  CHECK(evidence.text ==
        "chaos execution doc-1-chaos (input 1) ended FAILED with States.Timeout; the fault before "
        "it: kill of count-words-2 at +12.0 s, while it ran CountWords of this execution [kill "
        "injector]");
  CHECK(evidence.data["execution"] == execution_arn("doc-1-chaos"));
  CHECK(evidence.data["status"] == "FAILED");
  CHECK(evidence.data["cause"] == "");
  REQUIRE(evidence.data["faults"].size() == 1);
  CHECK(evidence.data["faults"][0]["fault"] == 1);
  CHECK(evidence.data["faults"][0]["relation"] == "during");

  // A failure with a cause (a worker's SendTaskFailure) shows it in brackets.
  auto with_cause = two_inputs(true);
  for (auto& execution : with_cause.history.executions) {
    if (execution.name != "doc-1-chaos") continue;
    execution.error = "Demo.Transient";
    execution.cause = "the index was locked (lock held by count-words-1)";
  }
  const auto caused = with_cause.judge(checks::all_executions_succeed());
  REQUIRE(caused.evidence.size() == 1);
  CHECK(caused.evidence[0].text ==
        "chaos execution doc-1-chaos (input 1) ended FAILED with Demo.Transient (the index was "
        "locked (lock held by count-words-1)); the fault before it: kill of count-words-2 at "
        "+12.0 s, while it ran CountWords of this execution [kill injector]");
  CHECK(caused.evidence[0].data["cause"] == "the index was locked (lock held by count-words-1)");
}

TEST_CASE("all_executions_succeed is unknown when no execution ran", "[checks][status]") {
  HistoryFixture f;
  f.phases();
  const auto verdict = f.judge(checks::all_executions_succeed());
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "no execution ran");
  CHECK(verdict.evidence.empty());
}

TEST_CASE("all_executions_end_in: a workflow that must fail", "[checks][status]") {
  auto f = two_inputs(true);
  const auto check = checks::all_executions_end_in("FAILED");
  CHECK(check->name() == "all executions ended FAILED");
  auto verdict = f.judge(check);
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary == "1 of 4 executions ended FAILED (control 0 of 2, chaos 1 of 2)");
  REQUIRE(verdict.evidence.size() == 3);
  CHECK(verdict.evidence[0].text ==
        "control execution doc-0-control (input 0) ended SUCCEEDED; no fault hit the workers that "
        "ran its tasks");

  for (auto& execution : f.history.executions) execution.status = "FAILED";
  verdict = f.judge(check);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.evidence.empty());

  // Executions that never started or outlived the run say so.
  f.history.executions[0].status = "NOT_STARTED";
  f.history.executions[0].error = "ExecutionLimitExceeded";
  f.history.executions[1].status = "RUNNING";
  verdict = f.judge(check);
  CHECK(verdict.outcome == Outcome::kFail);
  REQUIRE(verdict.evidence.size() == 2);
  CHECK(verdict.evidence[0].text ==
        "control execution doc-0-control (input 0) did not start with ExecutionLimitExceeded; no "
        "fault hit the workers that ran its tasks");
  CHECK(verdict.evidence[1].text ==
        "control execution doc-1-control (input 1) was still RUNNING when the run ended; no fault "
        "hit the workers that ran its tasks");
}

TEST_CASE("all_executions_succeed lists at most 20 executions and counts the rest",
          "[checks][status]") {
  HistoryFixture f;
  for (std::size_t i = 0; i < 25; ++i) {
    f.execution(Phase::kChaos, i, "doc-" + std::to_string(i), "FAILED", 1, 2);
  }
  const auto verdict = f.judge(checks::all_executions_succeed());
  CHECK(verdict.outcome == Outcome::kFail);
  REQUIRE(verdict.evidence.size() == 21);
  CHECK(verdict.evidence[20].text == "... and 5 more executions (not listed)");
  CHECK(verdict.evidence[20].data["omitted"] == 5);
}
