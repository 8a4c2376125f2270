#pragma once

// The recorded run of the metrics tests: a fixture history
// (tests/checks/check_fixtures.hpp) of one scenario, judged by the real checks.

#include <chrono>
#include <vector>

#include "loveless/checks/builtin.hpp"
#include "loveless/metrics/suite_metrics.hpp"

#include "checks/check_fixtures.hpp"

namespace loveless::testing {

/// Control doc-0 runs CountWords once on count-words-1 (+0.0 to +2.0 s).
/// Chaos doc-0: CountWords on count-words-1, killed at +10.5 s, times out at
/// +12.5 s, is retried on count-words-2 and succeeds at +14.0 s (recovery
/// 3.5 s, detection 2.0 s); the execution runs +10.0 to +14.1 s. A
/// wipe-scratch fault on merge-1 failed. count-words-1 wrote cache.json
/// during the control task and it was opened during the chaos task there.
inline HistoryFixture recorded_run() {
  HistoryFixture f;
  f.history.scenario = "kill recovers";
  f.phases(5, 20);
  f.execution(Phase::kControl, 0, "doc-0-control", "SUCCEEDED", 0, 2.0, {{"n", 1}});
  {
    EventLog log;
    const auto started = log.execution_started(0);
    const auto entered = log.task_entered("CountWords", started, 0.1);
    auto event = log.activity_scheduled(kCountWords, entered, 0.1);
    event = log.activity_started("count-words-1", event, 0.2);
    event = log.activity_succeeded(event, 1.8);
    event = log.state_exited("Task", "CountWords", event, 1.8);
    log.execution_succeeded(event, 2.0);
    f.events("doc-0-control", std::move(log));
  }
  f.execution(Phase::kChaos, 0, "doc-0-chaos", "SUCCEEDED", 10, 14.1, {{"n", 1}});
  {
    EventLog log;
    const auto started = log.execution_started(10);
    const auto entered = log.task_entered("CountWords", started, 10.1);
    auto event = log.activity_scheduled(kCountWords, entered, 10.1);
    event = log.activity_started("count-words-1", event, 10.2);
    event = log.activity_timed_out(event, 12.5);
    event = log.activity_scheduled(kCountWords, event, 13.0);
    event = log.activity_started("count-words-2", event, 13.1);
    event = log.activity_succeeded(event, 14.0);
    event = log.state_exited("Task", "CountWords", event, 14.0);
    log.execution_succeeded(event, 14.1);
    f.events("doc-0-chaos", std::move(log));
  }
  f.fault(FaultKind::kKill, "count-words-1", 10.5);
  auto& failed = f.fault(FaultKind::kWipeScratch, "merge-1", 11.0);
  failed.applied_ok = false;
  failed.error = "no worker merge-1";
  f.access("count-words-1", "cache.json", ScratchOperation::kCreated, 1.0);
  f.access("count-words-1", "cache.json", ScratchOperation::kRead, 10.3);
  return f;
}

/// What the suite hands a ScenarioRecorder at the end of a run.
struct JudgedRun {
  history::History history;
  std::vector<checks::Verdict> verdicts;
  bool passed = false;
};

inline JudgedRun judged(const HistoryFixture& f) {
  JudgedRun result;
  result.history = f.history;
  using namespace std::chrono_literals;
  for (const auto& check :
       {checks::all_executions_succeed(), checks::no_local_state_reliance(),
        checks::recovery_time().p95() < 15s, checks::time_to_detect().p95() < 1s}) {
    result.verdicts.push_back(checks::judge(*check, result.history));
  }
  result.passed = false;  // time to detect 2.0 s is not below 1 s
  return result;
}

/// Ends `recorder`'s run with `result`, as the suite does.
inline void finish(metrics::ScenarioRecorder& recorder, const JudgedRun& result) {
  recorder.finish(result.history, result.verdicts, result.passed);
}

}  // namespace loveless::testing
