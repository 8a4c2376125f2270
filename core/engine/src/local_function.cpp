#include "local_function.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <utility>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "execution_record.hpp"
#include "lambda_errors.hpp"
#include "lambda_invoke_response.hpp"
#include "limits.hpp"
#include "runtime_payload.hpp"
#include "uuid.hpp"

namespace loveless::engine {
namespace {

using Clock = std::chrono::system_clock;

std::int64_t epoch_ms(Clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

RuntimeApiReply accepted() { return {202, R"({"status":"OK"})", {}}; }

// Lambda answers a post for an invocation the environment is not running
// (unknown, already answered, timed out) with a 4xx and this error type; a
// runtime client logs it and asks for the next invocation.
RuntimeApiReply invalid_request_id(const std::string& request_id) {
  const nlohmann::json body = {{"errorType", "InvalidRequestID"},
                               {"errorMessage", "Invalid request ID: '" + request_id + "'"}};
  return {400, body.dump(), {}};
}

// A released /next: the environment is being discarded or the engine stops.
// Lambda never answers /next with an error; a 500 tells a runtime client the
// state is unrecoverable, so it exits, which is what we want from it.
RuntimeApiReply environment_gone() {
  const nlohmann::json body = {{"errorType", "Runtime.ExitError"},
                               {"errorMessage", "The execution environment is shutting down"}};
  return {500, body.dump(), {}};
}

// Lambda's wording: "Runtime exited with error: exit status 3" (or "signal: killed").
std::string exit_message(const std::string& how) {
  if (how.rfind("exit ", 0) == 0) return "Runtime exited with error: exit status " + how.substr(5);
  if (how.empty()) return "Runtime exited without providing a reason";
  return "Runtime exited with error: " + how;
}

std::string truncated(std::string text, std::size_t limit) {
  if (text.size() > limit) text.resize(limit);
  return text;
}

void report_failure(const LambdaInvocation& invocation, const std::string& error,
                    const std::string& cause);

// What Lambda reports when the function's process exits: Runtime.ExitError,
// which Step Functions records as Lambda.Unknown with the payload as cause.
void report_exit(const LambdaInvocation& invocation, const std::string& what) {
  const nlohmann::json payload = {
      {"errorMessage", "RequestId: " + invocation.request_id + " Error: " + what},
      {"errorType", "Runtime.ExitError"}};
  report_failure(invocation, lambda_errors::kUnknown, lambda_errors::unknown_cause(payload.dump()));
}

void report_failure(const LambdaInvocation& invocation, const std::string& error,
                    const std::string& cause) {
  const auto record = invocation.execution.lock();
  if (!record) return;
  const auto task_id = invocation.task_id;
  const auto error_text = truncated(error, limits::kMaxErrorLength);
  const auto cause_text = truncated(cause, limits::kMaxCauseLength);
  record->report_task(task_id, true, [&](asl::Execution& execution) {
    return execution.task_failed(task_id, error_text, cause_text);
  });
}

void report_success(const LambdaInvocation& invocation, nlohmann::json output) {
  const auto record = invocation.execution.lock();
  if (!record) return;
  const auto task_id = invocation.task_id;
  if (invocation.wait_for_task_token) {
    // The task stays open for SendTaskSuccess/Failure; stale when one of
    // them (or a timeout) already closed it.
    record->report_task(task_id, false, [&](asl::Execution& execution) {
      return execution.task_submitted(task_id, output);
    });
    return;
  }
  record->report_task(task_id, true, [&](asl::Execution& execution) {
    return execution.task_succeeded(task_id, std::move(output));
  });
}

std::string timeout_text(std::chrono::milliseconds timeout) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(timeout.count()) / 1000.0);
  return seconds;
}

}  // namespace

/// One execution environment: its Runtime API server and where it is in its
/// life cycle. Every field but `server` is guarded by the function's mutex.
class LocalFunction::Environment final : public RuntimeApiHandler {
 public:
  explicit Environment(LocalFunction& function) : function_(function), server(*this) {}

  RuntimeApiReply next() override { return function_.next(*this); }
  RuntimeApiReply response(const std::string& request_id, std::string body) override {
    return function_.finish(*this, request_id, std::move(body), false, "");
  }
  RuntimeApiReply error(const std::string& request_id, std::string body,
                        const std::string& error_type) override {
    return function_.finish(*this, request_id, std::move(body), true, error_type);
  }
  RuntimeApiReply init_error(std::string body, const std::string& error_type) override {
    return function_.init_error(*this, std::move(body), error_type);
  }

  std::string id;
  /// The launcher returned `id`; until then a `/next` waits.
  bool registered = false;
  /// It has asked for an invocation (`LocalFunctionConfig::environment_served`).
  bool served = false;
  bool discarded = false;
  EnvironmentState state = EnvironmentState::kStarting;
  /// The invocation handed to (or being handed to) this environment.
  std::shared_ptr<LambdaInvocation> current;
  TimerService::Key timeout_timer = 0;
  std::condition_variable wake;

 private:
  LocalFunction& function_;

 public:
  // Last: its handler threads use the members above.
  RuntimeApiServer server;
};

LocalFunction::LocalFunction(LocalFunctionConfig config, std::string arn, TimerService& timers,
                             std::uint64_t seed)
    : config_(std::move(config)), arn_(std::move(arn)), timers_(timers), random_(seed) {}

LocalFunction::~LocalFunction() { shutdown(); }

std::string LocalFunction::new_request_id_locked() {
  // A version 4 UUID, as Lambda's request ids are.
  const auto high = random_();
  return random_uuid(high, random_());
}

std::string LocalFunction::invoke(std::weak_ptr<ExecutionRecord> execution, std::uint64_t task_id,
                                  std::string event, std::string invoked_arn,
                                  LambdaInvokeStyle style) {
  auto invocation = std::make_shared<LambdaInvocation>();
  invocation->service_integration = style.service_integration;
  invocation->log_tail = style.log_tail;
  invocation->wait_for_task_token = style.wait_for_task_token;
  invocation->execution = std::move(execution);
  invocation->task_id = task_id;
  invocation->event = std::move(event);
  invocation->invoked_arn = std::move(invoked_arn);
  std::lock_guard lock(mutex_);
  invocation->request_id = new_request_id_locked();
  const auto request_id = invocation->request_id;
  if (shut_down_) return request_id;
  for (const auto& environment : environments_) {
    if (environment->state == EnvironmentState::kIdle) {
      environment->state = EnvironmentState::kBusy;
      environment->current = std::move(invocation);
      environment->wake.notify_all();
      return request_id;
    }
  }
  queue_.push_back(std::move(invocation));
  launch_if_needed_locked();
  return request_id;
}

void LocalFunction::cancel(const std::string& request_id) {
  std::lock_guard lock(mutex_);
  const auto queued = std::find_if(queue_.begin(), queue_.end(), [&](const auto& invocation) {
    return invocation->request_id == request_id;
  });
  if (queued != queue_.end()) {
    queue_.erase(queued);
    return;
  }
  for (const auto& environment : environments_) {
    if (environment->current && environment->current->request_id == request_id) {
      environment->current->cancelled = true;
    }
  }
}

void LocalFunction::launch_if_needed_locked() {
  if (shut_down_) return;
  std::size_t coming = static_cast<std::size_t>(launching_);
  for (const auto& environment : environments_) {
    if (environment->state == EnvironmentState::kStarting ||
        environment->state == EnvironmentState::kReturning) {
      ++coming;
    }
  }
  auto alive = environments_.size() + static_cast<std::size_t>(launching_);
  const auto limit = static_cast<std::size_t>(std::max(config_.max_concurrency, 1));
  for (; queue_.size() > coming && alive < limit; ++coming, ++alive) {
    ++launching_;
    jobs_.post([weak = weak_from_this()] {
      if (auto function = weak.lock()) function->launch();
    });
  }
}

void LocalFunction::launch() {
  auto environment = std::make_shared<Environment>(*this);
  std::string id;
  std::string failure;
  try {
    const auto runtime_api = environment->server.start();
    // Without any lock: the launcher may start a process and wait for it.
    id = config_.launch_environment(runtime_api);
    spdlog::debug("function {}: environment {} on {}", config_.name, id, runtime_api);
  } catch (const std::exception& e) {
    failure = e.what();
  }

  std::shared_ptr<LambdaInvocation> failed;
  std::shared_ptr<LambdaInvocation> exited;
  std::string exit_how;
  {
    std::lock_guard lock(mutex_);
    --launching_;
    const auto early = failure.empty() ? early_exits_.find(id) : early_exits_.end();
    const bool exited_early = early != early_exits_.end();
    if (exited_early) {
      exit_how = early->second;
      early_exits_.erase(early);
    }
    if (launching_ == 0) early_exits_.clear();
    if (failure.empty() && !shut_down_ && !exited_early) {
      environment->id = id;
      environment->registered = true;
      environments_.push_back(environment);
      environment->wake.notify_all();
      return;
    }
    environment->discarded = true;
    environment->wake.notify_all();
    if (!failure.empty() && !queue_.empty()) {
      // The invocation that asked for this environment fails, as an
      // invocation fails on AWS when Lambda cannot provide an environment.
      failed = queue_.front();
      queue_.pop_front();
    } else if (exited_early && !shut_down_ && !queue_.empty()) {
      // It died before asking for work: the invocation it was for fails
      // rather than waiting on environments that die the same way forever.
      exited = queue_.front();
      queue_.pop_front();
    }
    launch_if_needed_locked();
  }
  // On this (job) thread, outside every handler: stopping joins its threads.
  environment->server.stop();
  if (exited) {
    spdlog::warn("function {}: environment {} exited before its first invocation ({})",
                 config_.name, id, exit_how);
    report_exit(*exited, exit_message(exit_how));
  }
  if (failed) {
    spdlog::warn("function {}: cannot launch an environment: {}", config_.name, failure);
    report_failure(
        *failed, lambda_errors::kServiceException,
        "Could not start an execution environment for function '" + config_.name + "': " + failure);
  }
}

std::shared_ptr<LocalFunction::Environment> LocalFunction::find_locked(
    const Environment& environment) {
  for (const auto& candidate : environments_) {
    if (candidate.get() == &environment) return candidate;
  }
  return nullptr;
}

void LocalFunction::set_single_use(bool on) {
  std::lock_guard lock(mutex_);
  single_use_ = on;
  if (!on) return;
  std::vector<std::shared_ptr<Environment>> idle;
  for (const auto& environment : environments_) {
    if (environment->state == EnvironmentState::kIdle ||
        environment->state == EnvironmentState::kReturning ||
        environment->state == EnvironmentState::kHeld) {
      idle.push_back(environment);
    }
  }
  for (const auto& environment : idle) retire_locked(environment);
}

bool LocalFunction::retire_environment(const std::string& environment_id) {
  std::lock_guard lock(mutex_);
  const auto found =
      std::find_if(environments_.begin(), environments_.end(),
                   [&](const auto& environment) { return environment->id == environment_id; });
  if (found == environments_.end()) return false;
  auto& environment = **found;
  if (environment.state == EnvironmentState::kReturning ||
      environment.state == EnvironmentState::kIdle) {
    environment.state = EnvironmentState::kHeld;
    environment.current = nullptr;
  }
  return true;
}

void LocalFunction::retire_locked(const std::shared_ptr<Environment>& environment) {
  discard_locked(environment);
  launch_if_needed_locked();
  if (config_.reset_environment) {
    jobs_.post([reset = config_.reset_environment, id = environment->id] { reset(id); });
  }
}

void LocalFunction::discard_locked(const std::shared_ptr<Environment>& environment) {
  environment->discarded = true;
  environment->current = nullptr;
  environment->wake.notify_all();
  std::erase(environments_, environment);
  retired_.push_back(environment);
  jobs_.post([weak = weak_from_this(), environment] {
    environment->server.stop();
    if (auto function = weak.lock()) {
      std::lock_guard lock(function->mutex_);
      std::erase(function->retired_, environment);
    }
  });
}

RuntimeApiReply LocalFunction::next(Environment& environment) {
  std::unique_lock lock(mutex_);
  while (true) {
    if (environment.discarded || shut_down_) return environment_gone();
    if (!environment.registered) {
      environment.wake.wait(lock);
      continue;
    }
    if (!environment.served) {
      environment.served = true;
      if (config_.environment_served) {
        // Before it can take an invocation and die of it: that death is no
        // failure to start.
        const auto id = environment.id;
        lock.unlock();
        config_.environment_served(id);
        lock.lock();
        continue;
      }
    }
    if (environment.state == EnvironmentState::kHeld) {
      environment.wake.wait(lock);
      continue;
    }
    if (environment.state != EnvironmentState::kBusy) {
      environment.current = nullptr;
      if (queue_.empty()) {
        environment.state = EnvironmentState::kIdle;
        environment.wake.wait(lock);
        continue;
      }
      environment.state = EnvironmentState::kBusy;
      environment.current = queue_.front();
      queue_.pop_front();
    }
    const auto invocation = environment.current;
    const auto id = environment.id;
    lock.unlock();

    // Like GetActivityTask: the task starts on this worker under the
    // execution's lock; a task closed meanwhile is skipped.
    auto report = asl::TaskReport::kStale;
    if (const auto record = invocation->execution.lock()) {
      report = record->start_task(invocation->task_id, id);
    }
    const auto handed_out = Clock::now();
    const auto deadline = handed_out + config_.timeout;

    lock.lock();
    if (environment.discarded || shut_down_) return environment_gone();
    if (environment.current != invocation) continue;
    if (report == asl::TaskReport::kStale) {
      environment.state = EnvironmentState::kIdle;
      environment.current = nullptr;
      continue;
    }
    const auto self = find_locked(environment);
    environment.timeout_timer =
        timers_.start(std::chrono::time_point_cast<asl::Duration>(deadline),
                      [weak = weak_from_this(), self, request_id = invocation->request_id] {
                        if (auto function = weak.lock()) function->on_timeout(self, request_id);
                      });
    // Epoch/ms of hand-out and a root id with the X-Ray shape.
    char trace[96];
    std::snprintf(trace, sizeof trace, "Root=1-%08llx-%024llx;Parent=%016llx;Sampled=0",
                  static_cast<unsigned long long>(epoch_ms(handed_out) / 1000),
                  static_cast<unsigned long long>(random_()),
                  static_cast<unsigned long long>(random_()));
    invocation->trace_id = trace;
    invocation->handed_out = std::chrono::steady_clock::now();
    return {200,
            invocation->event,
            {{"Lambda-Runtime-Aws-Request-Id", invocation->request_id},
             {"Lambda-Runtime-Deadline-Ms", std::to_string(epoch_ms(deadline))},
             {"Lambda-Runtime-Invoked-Function-Arn", invocation->invoked_arn},
             {"Lambda-Runtime-Trace-Id", trace}}};
  }
}

RuntimeApiReply LocalFunction::finish(Environment& environment, const std::string& request_id,
                                      std::string body, bool failed,
                                      const std::string& error_type) {
  std::shared_ptr<LambdaInvocation> invocation;
  TimerService::Key timer = 0;
  bool cancelled = false;
  {
    std::lock_guard lock(mutex_);
    if (environment.discarded || environment.state != EnvironmentState::kBusy ||
        !environment.current || environment.current->request_id != request_id) {
      return invalid_request_id(request_id);
    }
    invocation = std::move(environment.current);
    environment.current = nullptr;
    // Set before the result reaches the execution: its next Task state may
    // invoke this function at once, and this environment is about to ask for it.
    environment.state = EnvironmentState::kReturning;
    timer = std::exchange(environment.timeout_timer, 0);
    cancelled = invocation->cancelled;
    if (single_use_) {
      // Before the result reaches the execution too: its next invocation
      // must go to a fresh environment, never to this one.
      if (const auto self = find_locked(environment)) retire_locked(self);
    }
  }
  timers_.cancel(timer);
  if (cancelled) return accepted();

  auto outcome = failed ? runtime_error_outcome(body, error_type) : runtime_response_outcome(body);
  if (outcome.output) {
    if (invocation->service_integration) {
      std::optional<std::string> log_result;
      if (invocation->log_tail) {
        log_result = platform_log_tail(invocation->request_id,
                                       std::chrono::steady_clock::now() - invocation->handed_out);
      }
      outcome.output = invoke_response(*outcome.output, body.size(), invocation->request_id,
                                       invocation->trace_id, log_result);
    }
    report_success(*invocation, std::move(*outcome.output));
  } else {
    if (invocation->service_integration) outcome.cause = compact_json_text(outcome.cause);
    report_failure(*invocation, outcome.error, outcome.cause);
  }
  return accepted();
}

RuntimeApiReply LocalFunction::init_error(Environment& environment, std::string body,
                                          const std::string& error_type) {
  std::shared_ptr<LambdaInvocation> failed;
  {
    std::lock_guard lock(mutex_);
    const auto self = find_locked(environment);
    if (!self) return environment_gone();
    spdlog::warn("function {}: environment {} failed to initialise: {}", config_.name,
                 environment.id, body);
    // The invocation this environment was started for fails with the init
    // error, as the invocation that triggers a failed cold start does on AWS.
    if (environment.current && !environment.current->cancelled) {
      failed = environment.current;
    } else if (!environment.current && !queue_.empty()) {
      failed = queue_.front();
      queue_.pop_front();
    }
    discard_locked(self);
    launch_if_needed_locked();
    if (config_.reset_environment) {
      jobs_.post([reset = config_.reset_environment, id = environment.id] { reset(id); });
    }
  }
  if (failed) {
    const auto outcome = runtime_error_outcome(body, error_type);
    report_failure(*failed, outcome.error, outcome.cause);
  }
  return accepted();
}

void LocalFunction::on_timeout(const std::shared_ptr<Environment>& environment,
                               const std::string& request_id) {
  std::shared_ptr<LambdaInvocation> invocation;
  {
    std::lock_guard lock(mutex_);
    if (environment->discarded || !environment->current ||
        environment->current->request_id != request_id) {
      return;
    }
    invocation = environment->current;
    spdlog::info("function {}: invocation {} timed out on {}", config_.name, request_id,
                 environment->id);
    discard_locked(environment);
    launch_if_needed_locked();
  }
  std::function<void()> reset;
  if (config_.reset_environment) {
    reset = [function = weak_from_this(), reset = config_.reset_environment, id = environment->id] {
      if (const auto self = function.lock()) self->jobs_.post([reset, id] { reset(id); });
    };
  }
  const auto record = invocation->execution.lock();
  if (invocation->cancelled || !record) {
    if (reset) reset();
    return;
  }
  const nlohmann::json payload = {{"errorMessage", "RequestId: " + request_id +
                                                       " Error: Task timed out after " +
                                                       timeout_text(config_.timeout) + " seconds"}};
  // On the execution's strand, not the timer thread (the states after the
  // failure may take long); the reset after the failure, as Lambda resets a
  // timed-out environment.
  record->post(
      [invocation, cause = lambda_errors::unknown_cause(payload.dump()), reset = std::move(reset)] {
        report_failure(*invocation, lambda_errors::kUnknown, cause);
        if (reset) reset();
      });
}

bool LocalFunction::environment_exited(const std::string& environment_id, const std::string& how) {
  std::shared_ptr<LambdaInvocation> invocation;
  std::shared_ptr<LambdaInvocation> never_taken;
  TimerService::Key timer = 0;
  {
    std::lock_guard lock(mutex_);
    const auto it =
        std::find_if(environments_.begin(), environments_.end(),
                     [&](const auto& environment) { return environment->id == environment_id; });
    if (it == environments_.end()) {
      if (launching_ > 0) early_exits_[environment_id] = how;
      return false;
    }
    const auto environment = *it;
    if (environment->state == EnvironmentState::kBusy && environment->current &&
        !environment->current->cancelled) {
      invocation = environment->current;
    }
    if (environment->state == EnvironmentState::kStarting && !queue_.empty() && !shut_down_) {
      // Died before asking for its first invocation: the one it was launched
      // for fails (Runtime.ExitError), as Lambda fails an invocation whose
      // runtime exits during init, instead of a relaunch that dies alike.
      never_taken = queue_.front();
      queue_.pop_front();
    }
    timer = std::exchange(environment->timeout_timer, 0);
    spdlog::info("function {}: environment {} exited", config_.name, environment_id);
    discard_locked(environment);
    launch_if_needed_locked();
  }
  timers_.cancel(timer);
  if (invocation) {
    report_exit(*invocation, how.empty()
                                 ? "Runtime exited (the execution environment's process ended)"
                                 : exit_message(how));
  }
  if (never_taken) {
    spdlog::warn("function {}: environment {} exited before its first invocation ({})",
                 config_.name, environment_id, how);
    report_exit(*never_taken, exit_message(how));
  }
  return true;
}

void LocalFunction::shutdown() {
  std::vector<std::shared_ptr<Environment>> environments;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) return;
    shut_down_ = true;
    queue_.clear();
    for (const auto& environment : environments_) {
      environment->discarded = true;
      environment->wake.notify_all();
    }
    environments = environments_;
    environments.insert(environments.end(), retired_.begin(), retired_.end());
  }
  jobs_.stop();
  for (const auto& environment : environments) environment->server.stop();
  std::lock_guard lock(mutex_);
  environments_.clear();
  retired_.clear();
}

}  // namespace loveless::engine
