#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "loveless/history/history.hpp"

namespace loveless::history {

/// An execution that reached a final status, as the runner saw it live.
struct ExecutionClosed {
  Phase phase = Phase::kControl;
  std::string execution_arn;
  /// SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
  std::string status;
  /// From ExecutionStarted to the closing event (history timestamps,
  /// milliseconds); nullopt when the start was not seen.
  std::optional<std::chrono::milliseconds> duration;
};

/// One task attempt (an activity task or one Lambda invocation) that ended.
struct TaskAttemptEnded {
  Phase phase = Phase::kControl;
  std::string execution_arn;
  /// The task's *Scheduled event id in its execution's history: with the
  /// ARN, the same key as `TaskRecord::scheduled_event_id`.
  std::int64_t scheduled_event_id = 0;
  std::string state_name;
  /// Empty when no pool serves the resource.
  std::string pool;
  std::string worker;
  /// kSucceeded, kFailed or kTimedOut.
  TaskOutcome outcome = TaskOutcome::kSucceeded;
  /// True when the orchestrator scheduled it after an earlier attempt of the
  /// same state failed or timed out (a Retry), false for a first attempt.
  bool retry = false;
};

/// Hooks a run calls as things happen, for live views of a run (Prometheus
/// metrics, progress). An observer only watches: the run's `History` and the
/// checks stay the single source of truth, and what an observer does changes
/// nothing in the run.
///
/// Thread-safety: the hooks are called from the runner's threads: the phase
/// hooks from the thread of `run_scenario`, `execution_closed` and
/// `task_attempt_ended` from the engine's threads while it holds an
/// execution's lock, `fault_applied` from the nemesis thread or a thread of a
/// slow fault (stop, restart). Several hooks may run at once. A hook must be
/// thread-safe, must not block (no I/O, no waiting on locks held for long),
/// and must not throw (an exception is caught and dropped).
///
/// Coverage: the execution and task hooks need the stack's live execution
/// notices (`ScenarioStack::observe`); on a stack without them only the phase
/// and fault hooks are called. A task or execution still open when the run
/// ends is not reported.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// The phase's first execution is about to start (chaos: the nemesis has started).
  virtual void phase_started(Phase /*phase*/) {}
  /// The phase's executions closed, or its time ran out; for chaos after the
  /// nemesis stopped and healed.
  virtual void phase_ended(Phase /*phase*/) {}
  virtual void execution_closed(const ExecutionClosed& /*execution*/) {}
  virtual void task_attempt_ended(const TaskAttemptEnded& /*task*/) {}
  /// A fault the nemesis applied, or tried to (`applied_ok == false`), with
  /// its final id; the same record the history's `faults` gets.
  virtual void fault_applied(const FaultRecord& /*fault*/) {}
};

}  // namespace loveless::history
