#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "loveless/aws/credentials.hpp"
#include "loveless/aws/json_client.hpp"
#include "loveless/aws/region.hpp"
#include "loveless/worker/worker.hpp"

#include "activity_poller.hpp"
#include "activity_report.hpp"
#include "environment.hpp"
#include "handler_outcome.hpp"
#include "heartbeat_thread.hpp"
#include "stop_signal.hpp"
#include "task_context.hpp"
#include "worker_log.hpp"

namespace loveless::worker {
namespace {

// How often the waiting thread looks at the SIGTERM flag: a signal handler
// cannot notify a condition variable.
constexpr std::chrono::milliseconds kStopCheck{50};
// Reports may be retried this long; after SIGTERM, only briefly.
constexpr std::chrono::milliseconds kReportRetry{30'000};
constexpr std::chrono::milliseconds kReportRetryWhenStopping{1'000};
// Heartbeats are short calls; a stuck one must not hold up `stop()` for long.
constexpr std::chrono::milliseconds kHeartbeatReadTimeout{10'000};

// Shared by the waiting thread and the handler's thread: when the handler
// outlasts the stop grace, its thread is left behind still holding this.
struct RunningTask {
  RunningTask(Handler task_handler, nlohmann::json task_input,
              std::unique_ptr<WorkerTaskContext> task_context)
      : handler(std::move(task_handler)),
        input(std::move(task_input)),
        context(std::move(task_context)) {}

  Handler handler;
  nlohmann::json input;
  std::unique_ptr<WorkerTaskContext> context;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  HandlerOutcome outcome;
};

// The region of an AWS endpoint's host name (states.<region>.amazonaws.com),
// when the environment and config name none; empty for any other host (the
// call then fails with AWS's error about the credential scope).
std::string region_for(const std::string& endpoint) {
  try {
    return aws::resolve_region();
  } catch (const aws::RegionError&) {
    constexpr std::string_view kPrefix = "https://states.";
    if (!endpoint.starts_with(kPrefix)) return {};
    const std::string_view host = std::string_view(endpoint).substr(kPrefix.size());
    return std::string(host.substr(0, host.find('.')));
  }
}

// An https:// endpoint is AWS Step Functions: requests are signed with the
// SDKs' default credential chain (one per process, so cached credentials
// are shared by the poller, the reporter and every heartbeat). Anything else
// is the local engine, which needs no signature; there, no credential source
// is consulted (no instance metadata probe on a laptop).
aws::JsonClientOptions client_options(const ActivityWorkerOptions& options) {
  aws::JsonClientOptions client;
  client.endpoint = options.endpoint;
  if (options.endpoint.starts_with("https://")) {
    static const auto credentials = aws::default_credentials_chain();
    static const auto region = region_for(options.endpoint);
    client.credentials = credentials;
    client.region = region;
  }
  return client;
}

// Waits for the handler; after SIGTERM, for at most the stop grace. True when
// the handler finished.
bool wait_for_handler(RunningTask& task, std::chrono::milliseconds stop_grace) {
  std::optional<std::chrono::steady_clock::time_point> give_up_at;
  std::unique_lock lock(task.mutex);
  while (!task.finished.wait_for(lock, kStopCheck, [&] { return task.done; })) {
    if (!give_up_at && stop_requested()) {
      give_up_at = std::chrono::steady_clock::now() + stop_grace;
    }
    if (give_up_at && std::chrono::steady_clock::now() >= *give_up_at) return false;
  }
  return true;
}

std::chrono::milliseconds report_retry() {
  return stop_requested() ? kReportRetryWhenStopping : kReportRetry;
}

// Runs one task from a GetActivityTask answer to its report.
void run_task(const Handler& handler, const ActivityWorkerOptions& options,
              aws::JsonClient& reporter, const nlohmann::json& task) {
  const auto token = task.value("taskToken", std::string());
  nlohmann::json input;
  try {
    input = nlohmann::json::parse(task.value("input", std::string("{}")));
  } catch (const nlohmann::json::exception& e) {
    report_activity_outcome(
        reporter, token, HandlerOutcome::failure("Worker.InvalidInput", e.what()), report_retry());
    return;
  }

  auto heartbeat_client = client_options(options);
  heartbeat_client.read_timeout = kHeartbeatReadTimeout;
  HeartbeatThread heartbeat(heartbeat_client, token, options.heartbeat_interval);
  auto running = std::make_shared<RunningTask>(
      handler, std::move(input),
      std::make_unique<WorkerTaskContext>(
          Role::kActivity, options.worker_name, token, std::nullopt, scratch_dir_from_environment(),
          heartbeat.beat_now_function(), heartbeat.lost_function()));
  std::thread handler_thread([running] {
    auto outcome = run_handler(running->handler, running->input, *running->context);
    {
      const std::lock_guard lock(running->mutex);
      running->outcome = std::move(outcome);
      running->done = true;
    }
    running->finished.notify_all();
  });

  if (!wait_for_handler(*running, options.stop_grace)) {
    // The process is about to exit; the thread cannot be cancelled, and
    // `running` keeps what it uses alive.
    handler_thread.detach();
    heartbeat.stop();
    if (heartbeat.lost()) return;
    log_line("the task outlasted the stop grace; failing it with Worker.Terminated");
    report_activity_outcome(reporter, token,
                            HandlerOutcome::failure("Worker.Terminated", "worker received SIGTERM"),
                            report_retry());
    return;
  }
  handler_thread.join();
  heartbeat.stop();
  // Step Functions already closed the task (and may have retried it
  // elsewhere); answering would only earn another TaskTimedOut.
  if (heartbeat.lost()) return;
  report_activity_outcome(reporter, token, running->outcome, report_retry());
}

}  // namespace

int run_activity_worker(const Handler& handler, const ActivityWorkerOptions& options) {
  if (!handler || options.endpoint.empty() || options.activity_arn.empty()) {
    log_line("run_activity_worker needs a handler, an endpoint and an activity ARN");
    return 2;
  }
  ActivityWorkerOptions effective = options;
  if (effective.worker_name.empty()) effective.worker_name = default_worker_name();
  if (effective.heartbeat_interval <= std::chrono::milliseconds(0)) {
    effective.heartbeat_interval = ActivityWorkerOptions{}.heartbeat_interval;
  }
  install_stop_handler();

  aws::JsonClient reporter(client_options(effective));
  ActivityPoller poller(client_options(effective), effective.activity_arn, effective.worker_name);
  for (int completed = 0; effective.max_tasks == 0 || completed < effective.max_tasks;
       ++completed) {
    poller.request();
    std::optional<nlohmann::json> task;
    while (!task) {
      // Idle: leave at once; the poller's long poll is abandoned, not awaited.
      if (stop_requested()) return 0;
      task = poller.wait_for(kStopCheck);
    }
    run_task(handler, effective, reporter, *task);
    if (stop_requested()) return 0;
  }
  return 0;
}

}  // namespace loveless::worker
