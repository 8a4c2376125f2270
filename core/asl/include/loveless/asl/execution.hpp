#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/definition.hpp"
#include "loveless/asl/history.hpp"

namespace loveless::asl {

namespace detail {
class StateTester;
}

/// Execution status, as DescribeExecution reports it.
enum class ExecutionStatus { kRunning, kSucceeded, kFailed, kTimedOut, kAborted };
/// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`.
std::string_view to_string(ExecutionStatus status);

/// How a Task state's resource is invoked; decides the history event names.
enum class ResourceKind {
  kActivity,      ///< `arn:aws:states:<r>:<a>:activity:<name>`: Activity* events
  kLambdaArn,     ///< a Lambda function ARN: LambdaFunction* events
  kLambdaInvoke,  ///< `arn:aws:states:::lambda:invoke[...]`: Task* events
  kOther,         ///< any other service integration: Task* events
};
/// Classifies a Task state's `Resource` string.
ResourceKind classify_resource(std::string_view resource);

/// Identity of an execution, the parts of the context object (`$$`) that do not
/// change while it runs.
struct ExecutionInfo {
  std::string execution_arn;
  std::string execution_name;
  std::string state_machine_arn;
  std::string state_machine_name;
  std::string role_arn;
};

/// What the interpreter asks its host to hand to a worker.
struct TaskRequest {
  /// Unique within the execution; the host passes it back in `Execution::task_*`.
  std::uint64_t task_id = 0;
  /// The task token (`$$.Task.Token`), unique across executions; 1..2048 chars.
  std::string task_token;
  ResourceKind kind = ResourceKind::kActivity;
  /// The Task state's `Resource`.
  std::string resource;
  /// The effective input (after InputPath and Parameters); for `lambda:invoke`
  /// the evaluated Parameters (`{"FunctionName": ..., "Payload": ...}`).
  nlohmann::json input;
  std::string state_name;
  /// Resolved TimeoutSeconds / HeartbeatSeconds (from the literal or the Path form).
  std::optional<std::int64_t> timeout_seconds;
  std::optional<std::int64_t> heartbeat_seconds;
};

/// The services an execution needs from the engine. The interpreter does no I/O:
/// everything that waits (workers, timers) goes through this interface, so the
/// engine drives it on the real clock and tests on a virtual one.
class ExecutionHost {
 public:
  virtual ~ExecutionHost() = default;
  /// The current time.
  virtual TimePoint now() = 0;
  /// Randomness for Retry jitter, intrinsics and task tokens.
  virtual RandomSource& random() = 0;
  /// Hands a task to its resource (for an activity: its queue, where a poller
  /// takes it). The host later reports progress through `Execution::task_started`,
  /// `task_heartbeat`, `task_succeeded`, `task_failed` or `task_schedule_failed`.
  /// Must not call back into the execution from inside this call.
  virtual void schedule_task(const TaskRequest& request) = 0;
  /// Asked before a Task records its Scheduled event: why the resource cannot
  /// take the task at all (an activity that does not exist), or "" when it
  /// can. A reason fails the state with States.Runtime, the cause being AWS's
  /// state prefix and this text, and no Scheduled event (recorded on AWS:
  /// "The activity <arn> does not exist."). The default finds no problem.
  virtual std::string resource_problem(const TaskRequest& request) {
    (void)request;
    return {};
  }
  /// Asked before an event adds `bytes` of payload text to the history (not
  /// for the event that ends the execution): the host's memory is shared by
  /// all its executions, so it may refuse, returning why. The execution then
  /// fails with States.Runtime and that cause. The default refuses nothing.
  virtual std::optional<std::string> reserve_history_bytes(std::size_t bytes) {
    (void)bytes;
    return std::nullopt;
  }
  /// The execution no longer waits for this task (it timed out, its state was
  /// aborted, the execution stopped); its token must now answer TaskTimedOut.
  virtual void cancel_task(std::uint64_t task_id) = 0;
  /// Calls `Execution::timer_fired(timer_id)` at `due` (or as soon as possible
  /// after it). Timer ids are unique within the execution and never reused.
  virtual void start_timer(std::uint64_t timer_id, TimePoint due) = 0;
  /// The timer must not fire; cancelling a fired or unknown timer is a no-op.
  virtual void cancel_timer(std::uint64_t timer_id) = 0;
};

/// How the host's report about a task landed.
enum class TaskReport {
  kAccepted,  ///< the execution was waiting for it
  kStale,     ///< the task already closed (timed out, cancelled): AWS answers TaskTimedOut
};

/// One Map Run of a distributed Map (DescribeMapRun's shape): child
/// executions by status; `status` is RUNNING, SUCCEEDED, FAILED or ABORTED.
struct MapRunSummary {
  std::string arn;
  std::string status = "RUNNING";
  TimePoint start_date{};
  std::optional<TimePoint> stop_date;
  /// MaxConcurrency as resolved (0: no limit).
  std::int64_t max_concurrency = 0;
  std::int64_t tolerated_failure_count = 0;
  double tolerated_failure_percentage = 0;
  /// Items before ItemBatcher grouped them (the child executions are `total`).
  std::int64_t items = 0;
  std::int64_t pending = 0;
  std::int64_t running = 0;
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  std::int64_t aborted = 0;
  std::int64_t total = 0;
};

/// UpdateMapRun's request (API_UpdateMapRun.html): each value given replaces
/// the Map Run's own; absent ones stay.
struct MapRunUpdate {
  /// 0: no limit.
  std::optional<std::int64_t> max_concurrency;
  std::optional<std::int64_t> tolerated_failure_count;
  /// 0..100.
  std::optional<double> tolerated_failure_percentage;
};

/// A child workflow execution of a Map Run (a distributed Map's iteration):
/// what DescribeExecution, GetExecutionHistory and ListExecutions by
/// `mapRunArn` show of it. Its ARN is
/// `arn:aws:states:<region>:<account>:execution:<machine>/<label>:<name>`.
struct ChildExecution {
  std::string arn;
  std::string name;
  /// `arn:aws:states:<region>:<account>:stateMachine:<machine>/<label>`.
  std::string state_machine_arn;
  std::string map_run_arn;
  ExecutionStatus status = ExecutionStatus::kRunning;
  TimePoint start_date{};
  std::optional<TimePoint> stop_date;
  nlohmann::json input;
  std::optional<nlohmann::json> output;
  std::string error;
  std::string cause;
  std::vector<HistoryEvent> history;
};

/// One execution of a state machine: the ASL interpreter.
///
/// It runs states synchronously until it has to wait (for a task, a timer or
/// Map/Parallel branches), records every history event itself with ids and
/// previousEventIds as AWS does, and enforces Retry (with per-retrier counters,
/// BackoffRate, MaxDelaySeconds, JitterStrategy), Catch, task TimeoutSeconds
/// (counted from the task's start) and HeartbeatSeconds (from its start and each
/// heartbeat), and the definition's TimeoutSeconds.
///
/// Time slices: by default each call runs until the execution waits or ends.
/// A host that must not be held by one call for long (the engine: a loop of
/// states keeps its lock, and the calling thread, for as long as it runs) sets
/// `set_time_slice`: a call then returns once the slice is used up, between
/// two steps of a state, with `has_pending_work()` true, and the host calls
/// `resume()` later to go on. Events come out in the same order either way.
///
/// Thread-safety: not thread-safe; the host serialises every call on one
/// execution (the engine holds a per-execution lock).
class Execution {
 public:
  Execution(std::shared_ptr<const Definition> definition, ExecutionInfo info, nlohmann::json input,
            ExecutionHost& host);
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  /// Records ExecutionStarted and runs until the execution waits or ends.
  /// With a time slice it runs no state: the first waits for `resume`
  /// (`has_pending_work` is true), so that the host can answer the call that
  /// started the execution first.
  void start();

  /// Bounds how long one call runs states before returning with work left
  /// (`has_pending_work`); zero (the default) runs until the execution waits.
  /// At least one step runs per call, so a single step (one state's
  /// evaluation) may overrun the slice.
  void set_time_slice(std::chrono::nanoseconds slice) noexcept;
  /// A call returned with states ready to run: call `resume` to go on.
  [[nodiscard]] bool has_pending_work() const noexcept;
  /// Runs the ready states for another time slice.
  void resume();

  /// A worker took the task: records ActivityStarted{workerName} (or the Lambda
  /// / Task equivalent) and starts the TimeoutSeconds and HeartbeatSeconds clocks.
  TaskReport task_started(std::uint64_t task_id, const std::string& worker_name);
  /// SendTaskHeartbeat: restarts the heartbeat clock; records nothing.
  TaskReport task_heartbeat(std::uint64_t task_id);
  /// A `.waitForTaskToken` integration's API call returned (for
  /// `lambda:invoke.waitForTaskToken`, the function's invocation): records
  /// TaskSubmitted with `output` (the API's response) after TaskStarted. The
  /// task stays open until SendTaskSuccess, SendTaskFailure or a timeout; its
  /// timers keep running from TaskStarted. Stale unless the task has started.
  TaskReport task_submitted(std::uint64_t task_id, const nlohmann::json& output);
  /// SendTaskSuccess: `output` is the parsed task output (for `lambda:invoke`,
  /// the host passes Lambda's whole Invoke response: the interpreter does not
  /// wrap results).
  TaskReport task_succeeded(std::uint64_t task_id, nlohmann::json output);
  /// SendTaskFailure (or a failed Lambda invocation): error and cause as the worker gave them.
  TaskReport task_failed(std::uint64_t task_id, const std::string& error, const std::string& cause);
  /// The host could not schedule the task (unknown activity, unsupported
  /// resource): records ActivityScheduleFailed / LambdaFunctionScheduleFailed /
  /// TaskScheduleFailed with `error` and `cause`, then applies Retry and Catch.
  TaskReport task_schedule_failed(std::uint64_t task_id, const std::string& error,
                                  const std::string& cause);
  /// A timer started through `ExecutionHost::start_timer` is due.
  void timer_fired(std::uint64_t timer_id);
  /// StopExecution: records ExecutionAborted with the given error and cause
  /// (both may be empty), cancels every task and timer. No-op unless running.
  void stop(const std::string& error, const std::string& cause);
  /// RedriveExecution: restarts a FAILED, TIMED_OUT or ABORTED execution from
  /// its unsuccessful states, as AWS documents
  /// (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
  /// Records `ExecutionRedriven` {redriveCount} after the last event, then
  /// enters each unsuccessful state again with the input it had: a Parallel
  /// reruns only its failed or aborted branches and a Map only its failed,
  /// aborted or never started iterations (recursively), keeping the results of
  /// the others; Retry counters start from zero and the execution's
  /// TimeoutSeconds counts from the redrive. Returns false and records nothing
  /// when the execution is running or succeeded; the engine checks AWS's other
  /// conditions (redrive count, history size, age).
  bool redrive();

  /// UpdateMapRun on Map Run `map_run_arn` while it runs: a new
  /// MaxConcurrency starts waiting child executions at once when it makes room
  /// (new ones wait when it is lowered: running ones finish), a new tolerated
  /// failure threshold is judged at once against the failures so far (the Map
  /// Run fails, as at a child's failure, when they exceed it) and at every
  /// later failure. Records no event (AWS records none for an update).
  /// Returns false, changing nothing, when no running Map Run of this
  /// execution has that ARN (unknown, or already ended).
  bool update_map_run(const std::string& map_run_arn, const MapRunUpdate& update);

  [[nodiscard]] ExecutionStatus status() const noexcept;
  [[nodiscard]] const ExecutionInfo& info() const noexcept;
  [[nodiscard]] const nlohmann::json& input() const noexcept;
  /// The final output once SUCCEEDED.
  [[nodiscard]] const std::optional<nlohmann::json>& output() const noexcept;
  /// Error and cause once FAILED, TIMED_OUT or ABORTED (may be empty).
  [[nodiscard]] const std::string& error() const noexcept;
  [[nodiscard]] const std::string& cause() const noexcept;
  [[nodiscard]] TimePoint start_date() const noexcept;
  /// Set once the execution has ended.
  [[nodiscard]] const std::optional<TimePoint>& stop_date() const noexcept;
  /// Every event recorded so far, in id order (ids start at 1).
  [[nodiscard]] const std::vector<HistoryEvent>& history() const noexcept;
  /// Number of state transitions so far (states entered), for benchmarks and metrics.
  [[nodiscard]] std::uint64_t state_transitions() const noexcept;
  /// How many times the execution was redriven (0 before any).
  [[nodiscard]] std::int64_t redrive_count() const noexcept;
  /// When it was last redriven.
  [[nodiscard]] const std::optional<TimePoint>& redrive_date() const noexcept;
  /// Every Map Run its distributed Maps started, in start order.
  [[nodiscard]] const std::vector<MapRunSummary>& map_runs() const noexcept;
  /// Every child execution those Map Runs started, in start order.
  [[nodiscard]] const std::deque<ChildExecution>& child_executions() const noexcept;

 private:
  // TestState (test_state.cpp) evaluates one state with the interpreter's own steps.
  friend class detail::StateTester;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::asl
