#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "loveless/engine/service.hpp"

#include "job_thread.hpp"
#include "runtime_api_server.hpp"
#include "timer_service.hpp"

namespace loveless::engine {

class ExecutionRecord;

/// One invocation of a local function, from the Task state that asked for it
/// to the result that closes it.
struct LambdaInvocation {
  /// The Runtime API's `Lambda-Runtime-Aws-Request-Id` (a UUID).
  std::string request_id;
  std::weak_ptr<ExecutionRecord> execution;
  std::uint64_t task_id = 0;
  /// The event as JSON text (the body of `/next`).
  std::string event;
  /// `Lambda-Runtime-Invoked-Function-Arn`: the ARN as the caller named it.
  std::string invoked_arn;
  /// Called through `arn:aws:states:::lambda:invoke`: the task's result is
  /// Lambda's whole Invoke response, and an error payload is re-serialised
  /// compactly in the cause, as recorded on AWS.
  bool service_integration = false;
  /// `Lambda-Runtime-Trace-Id` as handed out (set with the hand-out).
  std::string trace_id;
  /// `LogType: Tail`: the Invoke response carries LogResult.
  bool log_tail = false;
  /// `lambda:invoke.waitForTaskToken`: a response submits the task (the
  /// execution records TaskSubmitted and waits for the token's answer)
  /// instead of closing it; an error still fails it.
  bool wait_for_task_token = false;
  /// When an environment received it (set with the hand-out).
  std::chrono::steady_clock::time_point handed_out{};
  /// The execution no longer waits for it (guarded by the function's mutex):
  /// the environment may finish it, but its result goes nowhere.
  bool cancelled = false;
};

/// How a Task state calls a function (the LambdaInvocation members of the same names).
struct LambdaInvokeStyle {
  bool service_integration = false;
  bool log_tail = false;
  bool wait_for_task_token = false;
};

/// A Lambda function hosted locally: its queue of invocations and its
/// execution environments, each with its own Runtime API endpoint.
///
/// An invocation goes to an idle environment (one blocked in `/next`), else
/// waits in the queue; an environment is launched when the queue holds more
/// invocations than environments that will soon ask for work (starting, or
/// returning to `/next` after a result), up to `max_concurrency`. Environments
/// are discarded after a function timeout (then reset), an init error or the
/// fleet reporting their exit; they are never handed work again.
///
/// Locking: `mutex_` comes after an execution's lock (invoke and cancel are
/// called under it) and is never held while calling into an execution, the
/// launcher or the reset callback.
///
/// Thread-safety: every public method may be called from any thread.
class LocalFunction : public std::enable_shared_from_this<LocalFunction> {
 public:
  LocalFunction(LocalFunctionConfig config, std::string arn, TimerService& timers,
                std::uint64_t seed);
  ~LocalFunction();
  LocalFunction(const LocalFunction&) = delete;
  LocalFunction& operator=(const LocalFunction&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return config_.name; }
  [[nodiscard]] const std::string& arn() const noexcept { return arn_; }

  /// Queues an invocation of the task `task_id` with `event` (JSON text);
  /// returns its request id. Called under the execution's lock: it never calls
  /// back into the execution.
  std::string invoke(std::weak_ptr<ExecutionRecord> execution, std::uint64_t task_id,
                     std::string event, std::string invoked_arn, LambdaInvokeStyle style = {});
  /// The execution no longer waits for the invocation: a queued one is
  /// dropped, a running one finishes unobserved and frees its environment.
  void cancel(const std::string& request_id);
  /// The environment's process ended (`how`: `exit 3`, may be empty); false
  /// when it is not one of this function's environments. One that had not
  /// yet asked for an invocation fails the oldest queued invocation with
  /// Runtime.ExitError: a function that cannot start is not launched forever.
  bool environment_exited(const std::string& environment_id, const std::string& how);
  /// Single-use environments (the runner's cold phase): while on, an
  /// environment is discarded and reset as soon as it returns its result
  /// (success or error), never handed a second invocation; turning it on
  /// discards and resets every idle environment.
  void set_single_use(bool on);
  /// The environment `environment_id` is about to be disposed of (the
  /// runner's disposable(), StepFunctionsService::retire_worker): it takes no
  /// further invocation, its `/next` waits until its process ends, and it
  /// still counts toward the concurrency limit until then. Called while its
  /// result is being reported, before the runtime can ask for more; an
  /// environment already handed another invocation keeps it. False when the
  /// id is not one of this function's live environments.
  bool retire_environment(const std::string& environment_id);
  /// Releases every blocked `/next`, stops every Runtime API server. Idempotent.
  void shutdown();

 private:
  class Environment;
  /// kHeld: retired (retire_environment), alive until the fleet ends it.
  enum class EnvironmentState { kStarting, kIdle, kBusy, kReturning, kHeld };

  RuntimeApiReply next(Environment& environment);
  RuntimeApiReply finish(Environment& environment, const std::string& request_id, std::string body,
                         bool failed, const std::string& error_type);
  RuntimeApiReply init_error(Environment& environment, std::string body,
                             const std::string& error_type);
  void on_timeout(const std::shared_ptr<Environment>& environment, const std::string& request_id);
  void launch();

  void launch_if_needed_locked();
  void discard_locked(const std::shared_ptr<Environment>& environment);
  /// Discards `environment` and has the fleet reset (kill) it.
  void retire_locked(const std::shared_ptr<Environment>& environment);
  std::shared_ptr<Environment> find_locked(const Environment& environment);
  std::string new_request_id_locked();

  LocalFunctionConfig config_;
  std::string arn_;
  TimerService& timers_;

  std::mutex mutex_;
  std::deque<std::shared_ptr<LambdaInvocation>> queue_;
  std::vector<std::shared_ptr<Environment>> environments_;
  /// Discarded environments whose server has not been stopped yet.
  std::vector<std::shared_ptr<Environment>> retired_;
  /// Launches posted that have not returned.
  int launching_ = 0;
  /// Exits reported for ids not registered yet (the process died before the
  /// launcher returned); cleared when no launch is in flight.
  std::map<std::string, std::string> early_exits_;  ///< environment id -> how it ended
  bool single_use_ = false;
  std::mt19937_64 random_;
  bool shut_down_ = false;
  // Last member: its thread stops before the rest is destroyed.
  JobThread jobs_;
};

}  // namespace loveless::engine
