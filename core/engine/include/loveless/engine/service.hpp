#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/asl/history.hpp"
#include "loveless/engine/service_error.hpp"
#include "loveless/notices/execution_notice.hpp"

namespace loveless::engine {

// ExecutionNotice and ExecutionObserver live in loveless/notices (shared with
// the scenario side); the engine's names for them stay valid.
using notices::ExecutionNotice;
using notices::ExecutionObserver;

/// Where an API call came from, as the transport saw its TCP connection.
struct CallerAddress {
  /// The peer's address (`127.0.0.1`, `::1`) and port.
  std::string address;
  int port = 0;
  /// The server's own port the connection reached.
  int server_port = 0;
};

/// Maps the caller of a GetActivityTask to the id of the fleet worker whose
/// process made the call (`count-words-2`), whatever `workerName` it sends;
/// returns "" when it cannot tell. Called on the request's thread with no
/// engine lock held, once per GetActivityTask; it may read /proc but should
/// take at most a few milliseconds, and must not call into the service.
/// Returns `kCallerGone` when the caller has already closed its connection
/// (a worker stopped while its poll waited for a server thread): the engine
/// then answers with no task instead of handing one to a poll nobody reads.
using WorkerResolver = std::function<std::string(const CallerAddress& caller)>;

/// What a `WorkerResolver` returns for a caller whose connection is closed.
inline const std::string kCallerGone{"\0caller-gone", 12};

/// Configuration of the local Step Functions service.
struct ServiceOptions {
  /// Used in every ARN this service mints: `arn:aws:states:<region>:<account>:...`.
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  /// Longest a GetActivityTask call waits for a task (AWS: 60 s). Tests shorten it.
  std::chrono::milliseconds activity_poll_timeout{60'000};
  /// Seed for task tokens, jitter and intrinsics; 0 draws one from std::random_device.
  std::uint64_t seed = 0;
  /// How long one call (StartExecution, SendTaskSuccess, a timer) runs an
  /// execution's states before the rest goes on in the background: long
  /// enough that an ordinary workflow's states between two tasks run in one
  /// call, short enough that a loop of states holds neither the caller nor
  /// calls on the same execution. Zero: each call runs until the execution
  /// waits or ends, as in-process tests that read the result at once need.
  std::chrono::microseconds interpreter_slice{20'000};
  /// Bytes of payload text (inputs, outputs, causes) the histories of all
  /// executions may hold together; an execution that would go over fails with
  /// States.Runtime. 0: a quarter of the machine's memory, between 1 and
  /// 8 GiB. AWS has no such limit (docs/engine.md, "Limits").
  std::size_t history_payload_budget = 0;
};

/// A Lambda function hosted locally: its environments are workers of a
/// function pool that talk to a Runtime API the engine serves, one endpoint
/// per environment (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
struct LocalFunctionConfig {
  /// The function name; its ARN is `arn:aws:lambda:<region>:<account>:function:<name>`.
  std::string name;
  /// The function timeout (AWS default 3 s), counted from the hand-out of an
  /// invocation to an environment.
  std::chrono::milliseconds timeout{3'000};
  /// Most environments alive at once (reserved concurrency).
  int max_concurrency = 10;
  /// Starts one execution environment whose Runtime API is at `runtime_api`
  /// (`127.0.0.1:<port>`); returns its id (the worker's name). Called without
  /// any engine lock held; may throw (the invocation then fails).
  std::function<std::string(const std::string& runtime_api)> launch_environment;
  /// Kills and discards an environment after a function timeout, as Lambda
  /// resets a timed-out environment. May be empty.
  std::function<void(const std::string& environment_id)> reset_environment;
  /// Called once per environment, at its first `/next`: it started (its
  /// pool's crash-loop guard counts its death as no failure to start). May
  /// be empty; called without any engine lock held.
  std::function<void(const std::string& environment_id)> environment_served;
};

/// The local AWS Step Functions service: state machines, executions, activities
/// and their task queues, timers. Transport-agnostic: `HttpServer` puts it on
/// the awsJson1_0 wire protocol; tests may call `invoke` directly.
///
/// Thread-safety: every method may be called from any thread concurrently;
/// GetActivityTask blocks the calling thread for up to the poll timeout.
class StepFunctionsService {
 public:
  explicit StepFunctionsService(ServiceOptions options = {});
  ~StepFunctionsService();
  StepFunctionsService(const StepFunctionsService&) = delete;
  StepFunctionsService& operator=(const StepFunctionsService&) = delete;

  /// Performs one API operation (`"StartExecution"`, `"GetActivityTask"`, ...)
  /// with the request body as the API reference gives it and returns the
  /// response body. Throws `ServiceError` with the AWS error name and message
  /// (`UnknownOperationException` for an unknown operation,
  /// `SerializationException` for a member of the wrong JSON type, with AWS's
  /// deserializer message, `ValidationException` for a value that breaks a
  /// constraint). docs/engine.md lists the operations.
  nlohmann::json invoke(std::string_view operation, const nlohmann::json& request);
  /// The same for a call that arrived over a connection from `caller`: a
  /// GetActivityTask is attributed to the worker the `WorkerResolver` names
  /// for it (`ExecutionNotice::worker`).
  nlohmann::json invoke(std::string_view operation, const nlohmann::json& request,
                        const CallerAddress& caller);

  /// Installs (or, with an empty function, removes) the resolver of callers
  /// to fleet workers. Calls already polling keep the one they started with.
  void set_worker_resolver(WorkerResolver resolver);

  /// Hosts a Lambda function locally: Task states naming its ARN (or
  /// `arn:aws:states:::lambda:invoke` with its name in `FunctionName`) invoke
  /// it. Idle environments are reused; a new one is launched when all are busy,
  /// up to `max_concurrency`. Throws `std::invalid_argument` for a bad name or a
  /// missing launcher, `std::logic_error` when the name is already registered.
  void register_function(LocalFunctionConfig config);
  /// The fleet reports that an environment's process ended (crash, kill): the
  /// invocation it was running fails (see docs/engine.md) and the environment
  /// is never handed work again. One that dies before it asked for its first
  /// invocation fails the invocation it was launched for with
  /// `Runtime.ExitError` instead of being launched again (docs/engine.md).
  /// `how`: how its process ended (`exit 3`, `signal 9`), for the error
  /// message; may be empty.
  void environment_exited(const std::string& environment_id, const std::string& how = "");

  /// Single-use workers, for the runner's cold phase (docs/checks.md,
  /// no_local_state_reliance): while on, every worker takes at most one task.
  /// An activity poller that took a task since this was turned on (known by
  /// the fleet worker the resolver names for its connection, else by its
  /// `workerName`; a poller with neither is not held back) gets no other:
  /// its GetActivityTask waits out the poll timeout and returns no task, and
  /// the runner replaces the worker. A Lambda execution environment is
  /// discarded and reset (`LocalFunctionConfig::reset_environment`) as soon
  /// as it returns its one result, so the next invocation launches a fresh
  /// one; turning it on discards and resets every idle environment and
  /// answers every GetActivityTask waiting then with no task (it may be a
  /// dead worker's: the engine cannot tell). Either call forgets which
  /// pollers took tasks. Lambda on AWS never promises
  /// either: this is a test mode, not an AWS behaviour.
  void set_single_use_workers(bool on);
  /// From now on the activity worker or Lambda execution environment
  /// `fleet_worker` (the fleet's name for it, as the worker resolver gives,
  /// or the environment id) takes no more tasks: an activity worker's polls
  /// wait and end empty, an environment's `/next` waits until its process
  /// ends (it still counts toward the function's concurrency). The runner
  /// calls it the moment a disposable() worker's task ends, while the result
  /// is recorded and before the worker can ask again, so a worker about to be
  /// replaced is never handed a task that its disposal would fail. A test
  /// mode, as single-use workers are.
  void retire_worker(const std::string& fleet_worker);

  /// Calls `observer` for every history event recorded from now on, of every
  /// execution: in each execution's event order (ids ascending, none skipped),
  /// on the thread that recorded the event, with that execution's lock held.
  /// So the observer must be quick, must not block and must not call into this
  /// service, `observe` and `unobserve` included (those throw
  /// `std::logic_error` there): queue the notice and return. An exception it
  /// throws is logged and ignored. Observers are called in subscription order.
  /// Returns the subscription's id (never 0) for `unobserve`; throws
  /// `std::invalid_argument` for an empty observer.
  std::uint64_t observe(ExecutionObserver observer);
  /// Ends a subscription: once this returns the observer is never called
  /// again (a call in progress on another thread is waited for). An unknown
  /// id is ignored.
  void unobserve(std::uint64_t subscription);

  /// Wakes every blocked GetActivityTask (they return no task) and stops timers;
  /// called before the transport shuts down.
  void shutdown();

  [[nodiscard]] const ServiceOptions& options() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::engine
