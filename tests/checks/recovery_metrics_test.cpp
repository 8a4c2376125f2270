#include <stdexcept>

#include <catch2/catch.hpp>

#include "checks/check_fixtures.hpp"

using namespace loveless;
using namespace loveless::testing;
using namespace std::chrono_literals;
using checks::recovery_time;
using checks::time_to_detect;

namespace {

/// A chaos execution whose CountWords runs on `first` from start+0.2 until
/// the orchestrator times it out at `timed_out`; the retry, on `second` from
/// `timed_out`+0.6, succeeds at `succeeded`. Times in seconds after kT0.
void retried(HistoryFixture& f, std::size_t index, const std::string& name, double start,
             const std::string& first, double timed_out, const std::string& second,
             double succeeded) {
  f.execution(Phase::kChaos, index, name, "SUCCEEDED", start, succeeded + 0.1, {{"n", 1}});
  EventLog log;
  const auto started = log.execution_started(start);
  const auto entered = log.task_entered("CountWords", started, start + 0.1);
  auto event = log.activity_scheduled(kCountWords, entered, start + 0.1);
  event = log.activity_started(first, event, start + 0.2);
  event = log.activity_timed_out(event, timed_out);
  event = log.activity_scheduled(kCountWords, event, timed_out + 0.5);
  event = log.activity_started(second, event, timed_out + 0.6);
  event = log.activity_succeeded(event, succeeded);
  event = log.state_exited("Task", "CountWords", event, succeeded);
  log.execution_succeeded(event, succeeded + 0.1);
  f.events(name, std::move(log));
}

/// CountWords of doc-0 on count-words-1 killed at +10.5 s, timed out at
/// +12.5 s, retried on count-words-2 and succeeded at +14.0 s.
HistoryFixture killed_and_retried() {
  HistoryFixture f;
  f.phases();
  retried(f, 0, "doc-0", 10, "count-words-1", 12.5, "count-words-2", 14.0);
  f.fault(FaultKind::kKill, "count-words-1", 10.5);
  return f;
}

/// A Map of two iterations in parallel: iteration 1 (count-words-2) succeeds
/// at +11.0 s; iteration 0 (count-words-1, killed at +10.5 s) times out and
/// its retry on count-words-3 succeeds at +14.5 s; then Merge (Lambda) runs.
HistoryFixture parallel_map() {
  HistoryFixture f;
  f.phases();
  f.execution(Phase::kChaos, 0, "doc-0", "SUCCEEDED", 10, 15.1, {{"n", 1}});
  EventLog log;
  const auto started = log.execution_started(10);
  const auto map = log.state_entered("Map", "CountChunks", started, 10);
  const auto map_started =
      log.add("MapStateStarted", map, 10, "mapStateStartedEventDetails", {{"length", 2}});
  const auto iteration0 =
      log.add("MapIterationStarted", map_started, 10, "mapIterationStartedEventDetails",
              {{"name", "CountChunks"}, {"index", 0}});
  const auto iteration1 =
      log.add("MapIterationStarted", map_started, 10, "mapIterationStartedEventDetails",
              {{"name", "CountChunks"}, {"index", 1}});
  const auto entered0 = log.task_entered("CountWords", iteration0, 10.1);
  const auto entered1 = log.task_entered("CountWords", iteration1, 10.1);
  const auto scheduled0 = log.activity_scheduled(kCountWords, entered0, 10.1);
  const auto scheduled1 = log.activity_scheduled(kCountWords, entered1, 10.1);
  const auto started0 = log.activity_started("count-words-1", scheduled0, 10.2);
  const auto started1 = log.activity_started("count-words-2", scheduled1, 10.2);
  const auto succeeded1 = log.activity_succeeded(started1, 11.0);
  log.add("MapIterationSucceeded", succeeded1, 11.0, "mapIterationSucceededEventDetails",
          {{"name", "CountChunks"}, {"index", 1}});
  auto event = log.activity_timed_out(started0, 12.5);
  event = log.activity_scheduled(kCountWords, event, 13.0);
  event = log.activity_started("count-words-3", event, 13.1);
  event = log.activity_succeeded(event, 14.5);
  event = log.add("MapIterationSucceeded", event, 14.5, "mapIterationSucceededEventDetails",
                  {{"name", "CountChunks"}, {"index", 0}});
  event = log.add("MapStateSucceeded", event, 14.5);
  event = log.state_exited("Map", "CountChunks", event, 14.5);
  event = log.task_entered("Merge", event, 14.6);
  event = log.lambda_scheduled(kMergeFunction, event, 14.6);
  const auto merge_started = log.lambda_started(event, 14.7);
  event = log.lambda_succeeded(merge_started, 15.0);
  event = log.state_exited("Task", "Merge", event, 15.0);
  log.execution_succeeded(event, 15.1);
  f.events("doc-0", std::move(log), {{merge_started, "merge-1"}});
  f.fault(FaultKind::kKill, "count-words-1", 10.5);
  return f;
}

/// doc-1: CountWords on count-words-4 killed at +20.5 s, timed out at +21 s,
/// and the execution failed (no retry left).
void failed_for_good(HistoryFixture& f) {
  f.execution(Phase::kChaos, 1, "doc-1", "FAILED", 20, 21);
  EventLog log;
  const auto started = log.execution_started(20);
  const auto entered = log.task_entered("CountWords", started, 20);
  auto event = log.activity_scheduled(kCountWords, entered, 20);
  event = log.activity_started("count-words-4", event, 20.1);
  event = log.activity_timed_out(event, 21);
  log.execution_failed(event, 21, "States.Timeout");
  f.events("doc-1", std::move(log));
  f.fault(FaultKind::kKill, "count-words-4", 20.5);
}

}  // namespace

TEST_CASE("recovery_time passes when the disrupted work succeeded elsewhere within the bound",
          "[checks][recovery]") {
  const auto f = killed_and_retried();
  const auto check = recovery_time().p95() < 15s;
  CHECK(check->name() == "recovery time p95 < 15 s");
  const auto verdict = f.judge(check);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "p95 recovery time 3.5 s over 1 disrupted tasks, below 15 s");
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text ==
        "kill of count-words-1 at +10.5 s disrupted CountWords of chaos execution doc-0; "
        "recovered 3.5 s later, at +14.0 s (CountWords succeeded on count-words-2)");
  CHECK(verdict.evidence[0].data["fault"] == 1);
  CHECK(verdict.evidence[0].data["ms"] == 3500);
  CHECK(verdict.evidence[0].data["execution"] == execution_arn("doc-0"));
  CHECK(verdict.measurements["count"] == 1);
  CHECK(verdict.measurements["p50_ms"] == 3500);
  CHECK(verdict.measurements["p95_ms"] == 3500);
  CHECK(verdict.measurements["p99_ms"] == 3500);
  CHECK(verdict.measurements["max_ms"] == 3500);
  CHECK(verdict.measurements["unrecovered"] == 0);
}

TEST_CASE("a kill landing in the millisecond its task failed disrupted that task",
          "[checks][recovery]") {
  // The fault's time is when the kill went out; the orchestrator recorded
  // the failure within that millisecond (a Lambda environment killed).
  HistoryFixture f;
  f.phases();
  retried(f, 0, "doc-0", 10, "count-words-1", 10.5, "count-words-2", 12.0);
  f.fault(FaultKind::kKill, "count-words-1", 10.5004);
  const auto recovery = f.judge(recovery_time().max() < 5s);
  CHECK(recovery.outcome == Outcome::kPass);
  CHECK(recovery.measurements["disrupted_tasks"] == 1);
  CHECK(recovery.measurements["max_ms"] == 1500);
  const auto detection = f.judge(time_to_detect().max() < 5s);
  CHECK(detection.outcome == Outcome::kPass);
  CHECK(detection.measurements["max_ms"] == 0);
}

TEST_CASE("recovery_time fails when the percentile is not below the bound", "[checks][recovery]") {
  const auto f = killed_and_retried();
  auto verdict = f.judge(recovery_time().p95() < 3500ms);  // strictly below
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary == "p95 recovery time 3.5 s over 1 disrupted tasks, not below 3.5 s");
  CHECK(verdict.evidence.size() == 1);
  CHECK(f.judge(recovery_time().p95() < 3501ms).outcome == Outcome::kPass);
}

TEST_CASE("recovery_time fails naming a disrupted task whose work never succeeded",
          "[checks][recovery]") {
  auto f = killed_and_retried();
  failed_for_good(f);
  const auto verdict = f.judge(recovery_time().p95() < 15s);
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary ==
        "1 of 2 disrupted tasks unrecovered; p95 recovery time 3.5 s over 1 disrupted tasks, "
        "below 15 s");
  REQUIRE(verdict.evidence.size() == 2);
  CHECK(verdict.evidence[0].text ==
        "kill of count-words-4 at +20.5 s disrupted CountWords of chaos execution doc-1; "
        "UNRECOVERED: no later attempt of CountWords succeeded");
  CHECK(verdict.evidence[0].data["unresolved"] == true);
  CHECK(verdict.measurements["unrecovered"] == 1);
}

TEST_CASE("recovery_time is unknown when no fault disrupted a task", "[checks][recovery]") {
  auto f = killed_and_retried();
  f.history.faults.clear();
  f.fault(FaultKind::kWipeScratch, "count-words-1", 10.5);  // disrupts nothing by itself
  f.fault(FaultKind::kKill, "count-words-1", 13);           // after its task ended
  f.fault(FaultKind::kKill, "count-words-2", 13.5).applied_ok = false;  // never applied
  f.fault(FaultKind::kKill, "count-words-9", 13.5);                     // ran nothing
  // disposable(): its stop, triggered by the task's own end, lands within
  // the millisecond the history recorded for that end.
  auto& disposal = f.fault(FaultKind::kStop, "count-words-2", 14.0004);
  disposal.triggered = at(14.0);
  disposal.execution_arn = execution_arn("doc-0");
  disposal.state_name = "CountWords";
  const auto verdict = f.judge(recovery_time().p95() < 15s);
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary ==
        "no fault disrupted a task (4 faults applied): no recovery time to "
        "measure");
  CHECK(verdict.evidence.empty());
}

TEST_CASE("recovery_time follows the disrupted iteration, not a sibling that succeeded first",
          "[checks][recovery]") {
  const auto f = parallel_map();
  const auto verdict = f.judge(recovery_time().max() < 15s);
  CHECK(verdict.check == "recovery time max < 15 s");
  CHECK(verdict.outcome == Outcome::kPass);
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text ==
        "kill of count-words-1 at +10.5 s disrupted CountWords of chaos execution doc-0; "
        "recovered 4 s later, at +14.5 s (CountWords succeeded on count-words-3)");
  CHECK(verdict.measurements["max_ms"] == 4000);
}

TEST_CASE("recovery_time: percentiles by nearest rank", "[checks][recovery]") {
  HistoryFixture f;
  f.phases(10, 300);
  // Recovery times of 1..10 s, one execution each.
  for (int i = 1; i <= 10; ++i) {
    const double start = 20.0 * i;
    const auto worker = "count-words-" + std::to_string(i);
    retried(f, static_cast<std::size_t>(i), "doc-" + std::to_string(i), start, worker, start + 0.7,
            "count-words-other", start + 0.5 + i);
    f.fault(FaultKind::kKill, worker, start + 0.5);
  }
  auto verdict = f.judge(recovery_time().p95() < 15s);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["count"] == 10);
  CHECK(verdict.measurements["p50_ms"] == 5000);
  CHECK(verdict.measurements["p95_ms"] == 10000);
  CHECK(verdict.measurements["p99_ms"] == 10000);
  CHECK(verdict.measurements["max_ms"] == 10000);
  // The slowest first.
  CHECK_THAT(verdict.evidence.at(0).text, Catch::Contains("recovered 10 s later"));

  CHECK(f.judge(recovery_time().p50() < 5s).outcome == Outcome::kFail);
  CHECK(f.judge(recovery_time().p50() < 5001ms).outcome == Outcome::kPass);
  const auto p90 = recovery_time().percentile(0.9) < 9s;
  CHECK(p90->name() == "recovery time p90 < 9 s");
  verdict = f.judge(p90);
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.measurements["value_ms"] == 9000);
  CHECK(f.judge(recovery_time().percentile(0.1) < 1001ms).outcome == Outcome::kPass);
}

TEST_CASE("recovery_time: a percentile not above 0 or above 1 is refused", "[checks][recovery]") {
  CHECK_THROWS_AS(recovery_time().percentile(0), std::invalid_argument);
  CHECK_THROWS_AS(recovery_time().percentile(1.5), std::invalid_argument);
  // Built directly, it cannot be refused at once: the verdict says so.
  const auto verdict = killed_and_retried().judge(
      checks::DurationMetric(checks::DurationMetric::Kind::kRecovery, -1) < 15s);
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "the percentile must be in (0, 1]");
}

TEST_CASE("time_to_detect passes when the orchestrator noticed the disrupted task in time",
          "[checks][detection]") {
  const auto f = killed_and_retried();
  const auto check = time_to_detect().p99() < 3s;
  CHECK(check->name() == "time to detect p99 < 3 s");
  const auto verdict = f.judge(check);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "p99 time to detect 2 s over 1 disrupted tasks, below 3 s");
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text ==
        "kill of count-words-1 at +10.5 s disrupted CountWords of chaos execution doc-0; "
        "detected 2 s later, at +12.5 s (ActivityTimedOut States.Timeout)");
  CHECK(verdict.measurements["p99_ms"] == 2000);
}

TEST_CASE("time_to_detect fails above the bound and for a disruption never noticed",
          "[checks][detection]") {
  auto f = killed_and_retried();
  auto verdict = f.judge(time_to_detect().p95() < 1s);
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary == "p95 time to detect 2 s over 1 disrupted tasks, not below 1 s");

  // doc-2 still RUNNING at the end of the run; its task on count-words-5 is
  // open, and nothing recorded the kill.
  f.execution(Phase::kChaos, 2, "doc-2", "RUNNING", 25, std::nullopt);
  EventLog log;
  const auto started = log.execution_started(25);
  const auto entered = log.task_entered("CountWords", started, 25);
  const auto scheduled = log.activity_scheduled(kCountWords, entered, 25);
  log.activity_started("count-words-5", scheduled, 25.1);
  f.events("doc-2", std::move(log));
  f.fault(FaultKind::kKill, "count-words-5", 26);
  verdict = f.judge(time_to_detect().p95() < 3s);
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary ==
        "1 of 2 disrupted tasks undetected; p95 time to detect 2 s over 1 disrupted tasks, below "
        "3 s");
  CHECK(verdict.evidence.at(0).text ==
        "kill of count-words-5 at +26.0 s disrupted CountWords of chaos execution doc-2; "
        "UNDETECTED: the orchestrator never recorded CountWords failing");
  // Its recovery is missing too.
  CHECK(f.judge(recovery_time().p95() < 15s).outcome == Outcome::kFail);
}

TEST_CASE("time_to_detect is unknown when every disrupted task completed anyway",
          "[checks][detection]") {
  auto f = killed_and_retried();
  f.history.faults.clear();
  f.fault(FaultKind::kPause, "count-words-2", 13.5, 300ms);  // during the retry, which succeeds
  auto verdict = f.judge(time_to_detect().p95() < 3s);
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary ==
        "no disrupted task failed: every one of the 1 completed despite its fault, nothing to "
        "detect");
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text ==
        "pause of count-words-2 at +13.5 s disrupted CountWords of chaos execution doc-0; nothing "
        "to detect: CountWords succeeded at +14.0 s without a failure or timeout");
  // Its recovery time is the task's own completion.
  verdict = f.judge(recovery_time().p95() < 15s);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["max_ms"] == 500);

  verdict = HistoryFixture().judge(time_to_detect().p95() < 3s);
  CHECK(verdict.outcome == Outcome::kUnknown);
}
