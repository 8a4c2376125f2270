#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/execution.hpp"

#include "history_budget.hpp"
#include "start_execution_task.hpp"
#include "state_machine_registry.hpp"

namespace loveless::engine {

struct ServiceContext;
class LocalFunction;

/// One execution as the service keeps it: the interpreter, the lock that
/// serialises every call into it, and the host services it uses
/// (`asl::ExecutionHost`): the real clock, activity queues, the timer thread.
///
/// Locking: `mutex_` is taken before any registry, queue or timer lock and is
/// never taken while one of those is held, so there is no lock-order cycle.
/// Work the interpreter asks for that would call back into it (a task that
/// cannot be scheduled) is deferred and run after the current call returns,
/// still under the lock.
///
/// After each call (and its deferred work) the events it recorded are
/// published to the service's observers, in order, still under the lock.
///
/// Nothing holds the lock for long: each call runs the interpreter for one
/// time slice and leaves the rest (a loop of states, a Map of thousands of
/// iterations) to a job on `ServiceContext::interpreter`, so StartExecution,
/// SendTaskSuccess and a timer return at once, and DescribeExecution or
/// StopExecution of the same execution get the lock between two slices.
/// Timers fire through the same pool, never on the timer thread, so one
/// execution's long state cannot delay another's Wait or timeout.
///
/// Thread-safety: every public method may be called from any thread. Always
/// owned by a `std::shared_ptr` (timers and tasks hold weak references).
/// What DescribeExecution and ListExecutions show of an execution, copied
/// at the end of every call into its interpreter (under its lock), so that
/// they never wait for a step in progress: one JSONata expression may
/// evaluate for seconds, and AWS answers those calls at once.
struct ExecutionSummary {
  asl::ExecutionStatus status = asl::ExecutionStatus::kRunning;
  asl::TimePoint start_date{};
  std::optional<asl::TimePoint> stop_date;
  /// Once it succeeded.
  std::optional<nlohmann::json> output;
  std::string error;
  std::string cause;
  std::int64_t redrive_count = 0;
  std::optional<asl::TimePoint> redrive_date;
  std::size_t history_size = 0;
};

class ExecutionRecord final : public asl::ExecutionHost,
                              public std::enable_shared_from_this<ExecutionRecord> {
 public:
  /// `revision` is the state machine's revision the execution runs
  /// (DescribeStateMachineForExecution); `definition` is the one it interprets.
  ExecutionRecord(ServiceContext& context, std::shared_ptr<const asl::Definition> definition,
                  asl::ExecutionInfo info, std::string input_text, nlohmann::json input,
                  std::uint64_t sequence, std::uint64_t seed,
                  std::shared_ptr<const StateMachineRevision> revision = nullptr);
  ~ExecutionRecord() override;
  ExecutionRecord(const ExecutionRecord&) = delete;
  ExecutionRecord& operator=(const ExecutionRecord&) = delete;

  /// Takes the execution's lock.
  [[nodiscard]] std::unique_lock<std::mutex> lock();
  /// With the lock `held`: runs `fn` on the interpreter, then the deferred
  /// work, then publishes the events recorded since the last publish.
  void run(std::unique_lock<std::mutex>& held, const std::function<void(asl::Execution&)>& fn);
  /// `lock()` then `run()`.
  void with_execution(const std::function<void(asl::Execution&)>& fn);

  /// Reports a worker's answer about `task_id` through `fn` (under the lock).
  /// When the execution accepts it and `closes_task` is set (success, failure),
  /// the task's token is closed: later calls with it answer TaskTimedOut.
  asl::TaskReport report_task(std::uint64_t task_id, bool closes_task,
                              const std::function<asl::TaskReport(asl::Execution&)>& fn);

  /// A worker took the task (GetActivityTask, a Lambda environment's
  /// `/next`): records its Started event with `worker` (an activity's
  /// `workerName`), which observers see with `observed_worker` (the fleet
  /// worker that made the call, when known) or else `worker`.
  asl::TaskReport start_task(std::uint64_t task_id, const std::string& worker,
                             const std::string& observed_worker = "");

  [[nodiscard]] const std::string& arn() const noexcept { return info_.execution_arn; }
  [[nodiscard]] const asl::ExecutionInfo& info() const noexcept { return info_; }
  /// The input as StartExecution received it.
  [[nodiscard]] const std::string& input_text() const noexcept { return input_text_; }
  /// Order of StartExecution calls across the service; ListExecutions sorts by it.
  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }
  /// Keeps this execution's events from the service's observers: TestState
  /// runs a Task through an execution nobody started, which the runner must
  /// not see. Call before the first call into the interpreter.
  void hide_from_observers() noexcept { hidden_ = true; }
  /// The status after the last call into the interpreter; readable without the lock.
  [[nodiscard]] asl::ExecutionStatus status() const noexcept { return status_.load(); }
  /// The redrive count after the last call into the interpreter; readable without the lock.
  [[nodiscard]] std::int64_t redrive_count() const noexcept { return redrive_count_.load(); }
  /// The summary after the last call into the interpreter (before the
  /// first: RUNNING since the record was made); readable without the lock.
  [[nodiscard]] std::shared_ptr<const ExecutionSummary> summary() const;
  /// The state machine revision it started with; null when not given.
  [[nodiscard]] const std::shared_ptr<const StateMachineRevision>& revision() const noexcept {
    return revision_;
  }
  /// The version ARN (`...:stateMachine:<name>:<n>`) and the alias ARN it was
  /// started through; empty for an unqualified StartExecution. Set before
  /// the execution is registered, constant after.
  void set_started_through(std::string version_arn, std::string alias_arn) {
    version_arn_ = std::move(version_arn);
    alias_arn_ = std::move(alias_arn);
  }
  [[nodiscard]] const std::string& version_arn() const noexcept { return version_arn_; }
  [[nodiscard]] const std::string& alias_arn() const noexcept { return alias_arn_; }
  /// How many states:startExecution tasks started this execution's chain of
  /// parents (0: started through the API). Set by the task that started it,
  /// before that execution can start one of its own.
  [[nodiscard]] std::uint32_t nesting_depth() const noexcept { return nesting_depth_.load(); }
  void set_nesting_depth(std::uint32_t depth) noexcept { nesting_depth_.store(depth); }
  /// Runs `job` on `ServiceContext::interpreter`, after every job posted
  /// here before it (a strand: one execution's timers and continuations run
  /// in order, one at a time, never on the caller's thread). `job` runs
  /// without the lock; an exception it throws is logged and dropped.
  void post(std::function<void()> job);
  /// Blocks until the execution has closed (any status but RUNNING) or
  /// `deadline` passes; returns whether it closed. Call without the lock.
  bool wait_closed(std::chrono::steady_clock::time_point deadline);
  /// Posts `callback` to `ServiceContext::integrations` once the execution
  /// has closed (at once when it already has): a `.sync` parent learns that
  /// its child ended without either execution's lock held.
  void when_closed(std::function<void()> callback);

  // asl::ExecutionHost; called by the interpreter with the lock held.
  asl::TimePoint now() override;
  asl::RandomSource& random() override;
  void schedule_task(const asl::TaskRequest& request) override;
  std::string resource_problem(const asl::TaskRequest& request) override;
  void cancel_task(std::uint64_t task_id) override;
  std::optional<std::string> reserve_history_bytes(std::size_t bytes) override;
  void start_timer(std::uint64_t timer_id, asl::TimePoint due) override;
  void cancel_timer(std::uint64_t timer_id) override;

 private:
  struct OpenTask {
    std::string token;
    std::string activity_arn;
    /// Lambda tasks: the function and the invocation's request id.
    std::weak_ptr<LocalFunction> function;
    std::string request_id;
    /// states:startExecution tasks.
    std::shared_ptr<StartExecutionTask> start_execution;
  };

  void schedule_lambda(const asl::TaskRequest& request);
  void schedule_start_execution(const asl::TaskRequest& request, StartExecutionPattern pattern);
  void fire_timer(std::uint64_t timer_id);
  /// Hands the strand's next job to the pool.
  void schedule_strand();
  /// Runs the strand's next job, then schedules the one after it.
  void run_strand();
  /// With the lock: the interpreter has work left after its slice, so a
  /// job goes on with it (once: `resume_posted_`).
  void continue_later();
  void close_task_locked(std::uint64_t task_id);
  /// Hands the events after `published_` to the observers.
  void publish_events();
  /// With the lock: copies what DescribeExecution and ListExecutions show.
  void refresh_summary();

  ServiceContext& context_;
  /// Shared, so that a record that outlives its service gives back safely.
  std::shared_ptr<HistoryBudget> history_budget_;
  /// What this execution's history took from it (under the lock).
  std::size_t history_bytes_reserved_ = 0;
  asl::ExecutionInfo info_;
  std::string version_arn_;
  std::string alias_arn_;
  std::string input_text_;
  std::uint64_t sequence_;
  asl::SeededRandom random_;
  std::mutex mutex_;
  std::vector<std::function<void(asl::Execution&)>> deferred_;
  std::unordered_map<std::uint64_t, OpenTask> open_tasks_;
  /// Interpreter timer id -> TimerService key.
  std::unordered_map<std::uint64_t, std::uint64_t> timers_;
  std::atomic<asl::ExecutionStatus> status_{asl::ExecutionStatus::kRunning};
  std::atomic<std::int64_t> redrive_count_{0};
  /// A leaf lock: held only to swap or copy the pointer.
  mutable std::mutex summary_mutex_;
  std::shared_ptr<const ExecutionSummary> summary_;
  bool hidden_ = false;
  std::shared_ptr<const StateMachineRevision> revision_;
  /// Signalled when the status leaves RUNNING (wait_closed); a leaf lock.
  std::mutex closed_mutex_;
  std::condition_variable closed_;
  /// when_closed's callbacks, guarded by closed_mutex_.
  std::vector<std::function<void()>> on_closed_;
  std::atomic<std::uint32_t> nesting_depth_{0};
  /// How many history events observers have been given (or skipped, with none).
  std::size_t published_ = 0;
  /// Unpublished task Started events (history index) and the worker of each.
  std::vector<std::pair<std::size_t, std::string>> started_by_;
  /// A continuation is posted and has not run yet; guarded by `mutex_`.
  bool resume_posted_ = false;
  /// The strand (`post`); a leaf lock.
  std::mutex strand_mutex_;
  std::deque<std::function<void()>> strand_;
  /// A job of the strand is queued in the pool or running.
  bool strand_scheduled_ = false;
  std::unique_ptr<asl::Execution> execution_;
};

/// Cause recorded when a Task names a resource the local engine cannot run.
std::string unsupported_resource_cause(asl::ResourceKind kind, const std::string& resource);

}  // namespace loveless::engine
