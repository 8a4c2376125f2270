#pragma once

// A recorded run for the HTML reporter's timeline: three count-words workers
// (one killed and replaced), three inputs per phase, and five faults of five
// kinds: a kill that disrupts doc-0's chaos task (retried elsewhere, whose
// output then diverges), a pause that disrupts doc-1's (which fails), a
// wipe-scratch, a latency during doc-2's, and a restart that was not applied.
// The verdicts are the real checks' on this history, plus one whose evidence
// needs escaping.

#include <string>
#include <utility>

#include "checks/check_fixtures.hpp"
#include "report_fixtures.hpp"

namespace loveless::testing {

/// doc-N's control or chaos execution: CountWords on each `(worker, start,
/// end, outcome)` attempt in turn, then the execution ends as `status`.
struct Attempt {
  std::string worker;
  double started = 0;
  double ended = 0;
  std::string outcome;  // succeeded, timed-out, failed
};

inline void run_execution(HistoryFixture& fixture, Phase phase, std::size_t index,
                          const std::string& name, double start,
                          const std::vector<Attempt>& attempts, const std::string& status,
                          nlohmann::json output) {
  const double stop = attempts.back().ended + 0.1;
  fixture.execution(phase, index, name, status, start, stop, std::move(output));
  EventLog log;
  auto event = log.execution_started(start);
  event = log.task_entered("CountWords", event, start + 0.1);
  for (const auto& attempt : attempts) {
    event = log.activity_scheduled(kCountWords, event, attempt.started - 0.1);
    event = log.activity_started(attempt.worker, event, attempt.started);
    if (attempt.outcome == "succeeded") {
      event = log.activity_succeeded(event, attempt.ended);
    } else if (attempt.outcome == "timed-out") {
      event = log.activity_timed_out(event, attempt.ended);
    } else {
      event =
          log.activity_failed(event, attempt.ended, "Demo.MissingCounts", "no file counts-0.json");
    }
  }
  if (status == "SUCCEEDED") {
    event = log.state_exited("Task", "CountWords", event, stop - 0.05);
    log.execution_succeeded(event, stop);
  } else {
    log.execution_failed(event, stop, "Demo.MissingCounts");
  }
  fixture.events(name, std::move(log));
}

inline HistoryFixture timeline_history() {
  HistoryFixture f;
  f.history.scenario = "timeline: workers killed, paused and slowed";
  f.history.seed = 7;
  f.history.run_id = "run-20231114-221319-4242";
  f.phases(10, 24);
  run_execution(f, Phase::kControl, 0, "doc-0-control", 0.5,
                {{"count-words-1", 1.0, 3.0, "succeeded"}}, "SUCCEEDED", {{"count", 3}});
  run_execution(f, Phase::kControl, 1, "doc-1-control", 0.5,
                {{"count-words-2", 1.2, 3.5, "succeeded"}}, "SUCCEEDED", {{"count", 4}});
  run_execution(f, Phase::kControl, 2, "doc-2-control", 3.8,
                {{"count-words-1", 4.0, 6.0, "succeeded"}}, "SUCCEEDED", {{"count", 5}});
  run_execution(
      f, Phase::kChaos, 0, "doc-0-chaos", 10.5,
      {{"count-words-1", 10.7, 13.0, "timed-out"}, {"count-words-2", 13.6, 15.0, "succeeded"}},
      "SUCCEEDED", {{"count", 6}});
  run_execution(f, Phase::kChaos, 1, "doc-1-chaos", 10.5, {{"count-words-2", 11.2, 13.5, "failed"}},
                "FAILED", nullptr);
  run_execution(f, Phase::kChaos, 2, "doc-2-chaos", 15.5,
                {{"count-words-3", 16.0, 19.5, "succeeded"}}, "SUCCEEDED", {{"count", 5}});

  f.fault(FaultKind::kKill, "count-words-1", 11.0).injector =
      "kill on task started in count-words after 300 ms";
  f.fault(FaultKind::kPause, "count-words-2", 11.5, std::chrono::seconds(2));
  f.fault(FaultKind::kWipeScratch, "count-words-2", 17.0);
  f.fault(FaultKind::kLatency, "count-words-3", 18.0, std::chrono::milliseconds(1500));
  auto& missed = f.fault(FaultKind::kRestart, "count-words-3", 21.0);
  missed.applied_ok = false;
  missed.error = "count-words-3 had exited";

  f.history.worker_events = {
      {at(-0.5), "started", "count-words", "count-words-1", ""},
      {at(-0.5), "started", "count-words", "count-words-2", ""},
      {at(11.0), "killed", "count-words", "count-words-1", "SIGKILL"},
      {at(11.05), "died", "count-words", "count-words-1", "signal 9"},
      {at(11.3), "started", "count-words", "count-words-3", ""},
      {at(11.3), "replaced", "count-words", "count-words-1", "by count-words-3"}};
  return f;
}

inline RecordedScenario timeline_scenario() {
  const auto fixture = timeline_history();
  RecordedScenario scenario;
  scenario.info = {fixture.history.scenario,
                   {"demo", "timeline"},
                   false,
                   "tests/reports/html_fixtures.hpp",
                   1,
                   {"kill on task started in count-words after 300 ms, at most 1 times",
                    "pause (2 s) of count-words-2 at +11.5 s"}};
  scenario.result.history = fixture.history;
  scenario.result.verdicts = {
      fixture.judge(checks::all_executions_succeed()),
      fixture.judge(checks::outputs_match_control()),
      fixture.judge(checks::recovery_time().p95() < std::chrono::seconds(15)),
      verdict("evidence that needs escaping", checks::Outcome::kPass,
              "a worker's error text <b>bold</b> & more",
              {"<script>document.title='escaped'</script> & \"quoted\" 'apostrophes'"})};
  scenario.result.passed = false;
  return scenario;
}

/// The timeline scenario alone, as one suite.
inline RecordedSuite timeline_suite() {
  RecordedSuite recorded;
  recorded.suite.suite = "html-timeline";
  recorded.suite.stack = "process";
  recorded.suite.seed = 7;
  recorded.suite.started = at(-1);
  recorded.scenarios.push_back(timeline_scenario());
  recorded.suite.scenarios.push_back(recorded.scenarios.back().info);
  recorded.totals = {1, 1, 0, 1, false, at(25)};
  return recorded;
}

/// The timeline scenario first, then the recorded suite's five.
inline RecordedSuite html_suite() {
  auto recorded = recorded_suite();
  auto timeline = timeline_scenario();
  recorded.suite.scenarios.insert(recorded.suite.scenarios.begin(), timeline.info);
  recorded.scenarios.insert(recorded.scenarios.begin(), std::move(timeline));
  recorded.totals.selected += 1;
  recorded.totals.run += 1;
  recorded.totals.failed += 1;
  return recorded;
}

/// `html_suite` without its byte that is not UTF-8, which comes back from a
/// JSON report as U+FFFD: for comparing a page rendered again.
inline RecordedSuite html_suite_without_invalid_utf8() {
  auto recorded = html_suite();
  for (auto& scenario : recorded.scenarios) {
    for (auto& verdict : scenario.result.verdicts) {
      for (auto& item : verdict.evidence) {
        if (item.text.find('\xff') != std::string::npos) item.text = "a plain evidence item";
      }
    }
  }
  return recorded;
}

}  // namespace loveless::testing
