#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "loveless/worker/worker.hpp"

#include "backoff.hpp"
#include "environment.hpp"
#include "handler_outcome.hpp"
#include "runtime_api_client.hpp"
#include "stop_signal.hpp"
#include "task_context.hpp"
#include "worker_log.hpp"

namespace loveless::worker {
namespace {

// How often the waiting thread looks at the SIGTERM flag: a signal handler
// cannot notify a condition variable.
constexpr std::chrono::milliseconds kStopCheck{50};

// Shared by the waiting thread and the loop's thread: after SIGTERM the loop
// thread is left behind (it may be blocked in `next` for an hour).
struct LoopState {
  std::mutex mutex;
  std::condition_variable changed;
  bool finished = false;
  bool invoking = false;
};

void set_invoking(LoopState& state, bool invoking) {
  const std::lock_guard lock(state.mutex);
  state.invoking = invoking;
}

void serve_invocation(const Handler& handler, const LambdaRuntimeOptions& options,
                      RuntimeApiClient& client, const Invocation& invocation) {
  WorkerTaskContext context(Role::kLambda, options.worker_name, invocation.request_id,
                            invocation.deadline, scratch_dir_from_environment());
  const auto outcome = invocation.event_error.empty()
                           ? run_handler(handler, invocation.event, context)
                           : HandlerOutcome::failure("Worker.InvalidInput", invocation.event_error);
  if (outcome.succeeded) {
    client.post_response(invocation.request_id, outcome.output);
  } else {
    client.post_error(invocation.request_id, outcome.error, outcome.cause);
  }
}

void run_loop(const Handler& handler, const LambdaRuntimeOptions& options, LoopState& state) {
  RuntimeApiClient client(options.runtime_api);
  Backoff backoff;
  for (int served = 0; options.max_invocations == 0 || served < options.max_invocations;) {
    if (stop_requested()) break;
    const auto invocation = client.next();
    if (!invocation) {
      backoff.sleep([] { return stop_requested(); });
      continue;
    }
    backoff.reset();
    set_invoking(state, true);
    serve_invocation(handler, options, client, *invocation);
    set_invoking(state, false);
    ++served;
  }
}

}  // namespace

void report_lambda_init_error(const LambdaRuntimeOptions& options, const std::string& error_type,
                              const std::string& message) {
  if (options.runtime_api.empty()) {
    log_line("init error " + error_type + ": " + message);
    return;
  }
  RuntimeApiClient(options.runtime_api).post_init_error(error_type, message);
}

int run_lambda_runtime(const Handler& handler, const LambdaRuntimeOptions& options) {
  if (options.runtime_api.empty()) {
    log_line("run_lambda_runtime needs the Runtime API address (AWS_LAMBDA_RUNTIME_API)");
    return 2;
  }
  if (!handler) {
    report_lambda_init_error(options, "Worker.InvalidHandler", "the handler is empty");
    return 2;
  }
  LambdaRuntimeOptions effective = options;
  if (effective.worker_name.empty()) effective.worker_name = effective.function_name;
  if (effective.worker_name.empty()) effective.worker_name = default_worker_name();
  install_stop_handler();

  auto state = std::make_shared<LoopState>();
  std::thread loop([state, handler, effective] {
    run_loop(handler, effective, *state);
    {
      const std::lock_guard lock(state->mutex);
      state->finished = true;
    }
    state->changed.notify_all();
  });

  std::optional<std::chrono::steady_clock::time_point> give_up_at;
  std::unique_lock lock(state->mutex);
  while (!state->changed.wait_for(lock, kStopCheck, [&] { return state->finished; })) {
    if (!stop_requested()) continue;
    // Idle (blocked in `next`): leave at once. Invoking: give the handler the
    // grace to finish and post its response, as Lambda allows 2 s after SIGTERM.
    if (!state->invoking) break;
    if (!give_up_at) give_up_at = std::chrono::steady_clock::now() + effective.stop_grace;
    if (std::chrono::steady_clock::now() >= *give_up_at) break;
  }
  const bool finished = state->finished;
  lock.unlock();
  if (finished) {
    loop.join();
  } else {
    loop.detach();
  }
  return 0;
}

}  // namespace loveless::worker
