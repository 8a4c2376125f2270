#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "loveless/error_with_cause.hpp"

namespace loveless::worker {

/// Which adapter runs the handler.
enum class Role { kActivity, kLambda };

/// What a handler can ask about the task it is running.
///
/// Thread-safety: only the handler's own thread uses it, except `heartbeat`,
/// which may also be called from threads the handler starts.
class TaskContext {
 public:
  virtual ~TaskContext() = default;
  [[nodiscard]] virtual Role role() const = 0;
  /// `LOVELESS_WORKER_NAME` (activity workers poll with it as `workerName`).
  [[nodiscard]] virtual const std::string& worker_name() const = 0;
  /// The activity task token, or the Lambda request id.
  [[nodiscard]] virtual const std::string& invocation_id() const = 0;
  /// Time left before the Lambda deadline (`Lambda-Runtime-Deadline-Ms`);
  /// for activities, `std::chrono::milliseconds::max()` (the state's
  /// TimeoutSeconds is not told to workers, as on AWS).
  [[nodiscard]] virtual std::chrono::milliseconds remaining_time() const = 0;
  /// Sends a heartbeat now (SendTaskHeartbeat); a no-op for Lambda. The
  /// activity adapter also heartbeats on its own background thread.
  virtual void heartbeat() = 0;
  /// True once the worker received SIGTERM: finish or give up quickly.
  [[nodiscard]] virtual bool stopping() const = 0;
  /// The worker's scratch directory: `TMPDIR` if set, else /tmp. Disposable by contract.
  [[nodiscard]] virtual const std::filesystem::path& scratch_dir() const = 0;
  /// True once Step Functions answered a heartbeat with TaskTimedOut (the
  /// task timed out or was answered elsewhere): nothing the handler returns
  /// will be reported, so it may give up. `stopping()` is then true as well.
  /// Always false for Lambda.
  [[nodiscard]] virtual bool task_lost() const { return false; }
};

/// The one handler type: the same function serves as an Activity worker and
/// as a Lambda function. Returns the task output (a JSON value; the activity
/// adapter sends it with SendTaskSuccess, the Lambda loop posts it as the
/// invocation response).
using Handler = std::function<nlohmann::json(const nlohmann::json& input, TaskContext& context)>;

/// Throw it from a handler to fail the task with a chosen error name and cause
/// (SendTaskFailure `error`/`cause`; Lambda `errorType`/`errorMessage`). Any
/// other exception fails the task with error (errorType)
/// `Worker.UnhandledException` and its `what()` as the cause, in both roles.
class TaskFailure : public ErrorWithCause {
 public:
  using ErrorWithCause::ErrorWithCause;
};

/// Settings of the Activity adapter; `from_environment()` reads the variables
/// a Loveless fleet (or an ECS task definition) sets.
struct ActivityWorkerOptions {
  /// AWS_ENDPOINT_URL_SFN (a local engine) or empty for AWS (needs the AWS stack's client).
  std::string endpoint;
  /// LOVELESS_ACTIVITY_ARN.
  std::string activity_arn;
  /// LOVELESS_WORKER_NAME (default: the host name and pid).
  std::string worker_name;
  /// How often the background thread heartbeats while a task runs.
  std::chrono::milliseconds heartbeat_interval{1000};
  /// Stop after this many tasks (0: never), for tests and disposable workers
  /// (LOVELESS_MAX_TASKS).
  int max_tasks = 0;
  /// After SIGTERM, how long a running task may still take before it is
  /// failed with `Worker.Terminated` (LOVELESS_STOP_GRACE_MS, default 2000).
  std::chrono::milliseconds stop_grace{2000};
  /// Also reads LOVELESS_HEARTBEAT_INTERVAL_MS. Throws `std::invalid_argument`
  /// naming a missing or malformed variable; AWS_ENDPOINT_URL_SFN is required
  /// because this build has no SigV4-signing client for AWS itself.
  static ActivityWorkerOptions from_environment();
};

/// Settings of the Lambda runtime loop.
struct LambdaRuntimeOptions {
  /// AWS_LAMBDA_RUNTIME_API (`host:port`).
  std::string runtime_api;
  /// AWS_LAMBDA_FUNCTION_NAME if set.
  std::string function_name;
  /// LOVELESS_WORKER_NAME if set, else the function name.
  std::string worker_name;
  /// Return after this many invocations (0: never; LOVELESS_MAX_TASKS), for
  /// tests that run the loop on a thread.
  int max_invocations = 0;
  /// After SIGTERM, how long a running invocation may still take before the
  /// loop returns anyway (LOVELESS_STOP_GRACE_MS, default 1000: Lambda sends
  /// SIGKILL 2 s after SIGTERM).
  std::chrono::milliseconds stop_grace{1000};
  /// Throws `std::invalid_argument` when AWS_LAMBDA_RUNTIME_API is not set or
  /// a variable is malformed.
  static LambdaRuntimeOptions from_environment();
};

/// Polls GetActivityTask with the worker name, runs the handler, heartbeats
/// on a background thread, reports SendTaskSuccess or SendTaskFailure. On
/// SIGTERM it stops polling, lets the running task finish within the grace
/// period or fails it (`Worker.Terminated`), and returns. Returns the process
/// exit code (0 after a clean stop).
int run_activity_worker(const Handler& handler, const ActivityWorkerOptions& options);

/// The Lambda Runtime API loop: `GET /runtime/invocation/next`, the handler,
/// `POST .../response` or `.../error` (errorType from TaskFailure::error()).
/// Returns on SIGTERM with exit code 0.
int run_lambda_runtime(const Handler& handler, const LambdaRuntimeOptions& options);

/// Reports a failed set-up (before the loop starts) with `POST
/// /runtime/init/error` `{errorMessage, errorType, stackTrace: []}`, so Lambda
/// fails the pending invocation with `errorType` instead of waiting for the
/// init timeout. Best effort: logs and returns when the Runtime API cannot be
/// reached.
void report_lambda_init_error(const LambdaRuntimeOptions& options, const std::string& error_type,
                              const std::string& message);

/// The entry point of a worker binary with several handlers:
/// `binary <handler-name>` runs that handler as a Lambda function when
/// AWS_LAMBDA_RUNTIME_API is set, as an Activity worker otherwise. Unknown
/// handler names and missing variables print usage and return 2 (as a Lambda
/// function, an unknown handler is also reported with
/// `report_lambda_init_error`). Without an argument, a Lambda function takes
/// the handler name from `_HANDLER` (the image's CMD on AWS).
int run_worker_main(const std::map<std::string, Handler>& handlers, int argc, char** argv);

}  // namespace loveless::worker
