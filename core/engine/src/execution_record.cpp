#include "execution_record.hpp"

#include <chrono>
#include <utility>

#include <spdlog/spdlog.h>

#include "function_reference.hpp"
#include "lambda_task.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

// Neither States.ALL nor States.TaskFailed matches States.Runtime, so a
// resource the engine cannot run fails the execution at once instead of being
// retried by a catch-all retrier, and the cause says why.
constexpr const char* kScheduleFailedError = "States.Runtime";

bool is_task_started(const std::string& type) {
  return type == "ActivityStarted" || type == "LambdaFunctionStarted" || type == "TaskStarted";
}

}  // namespace

std::string unsupported_resource_cause(asl::ResourceKind kind, const std::string& resource) {
  switch (kind) {
    case asl::ResourceKind::kLambdaArn:
    case asl::ResourceKind::kLambdaInvoke:
      return "Only the request-response and .waitForTaskToken lambda:invoke integrations are "
             "supported by the local engine: '" +
             resource + "'";
    case asl::ResourceKind::kActivity:
      return "Activity Does Not Exist: '" + resource + "'";
    case asl::ResourceKind::kOther:
      break;
  }
  return "Service integrations are not supported by the local engine yet: '" + resource + "'";
}

ExecutionRecord::ExecutionRecord(ServiceContext& context,
                                 std::shared_ptr<const asl::Definition> definition,
                                 asl::ExecutionInfo info, std::string input_text,
                                 nlohmann::json input, std::uint64_t sequence, std::uint64_t seed,
                                 std::shared_ptr<const StateMachineRevision> revision)
    : context_(context),
      history_budget_(context.history_budget),
      info_(std::move(info)),
      input_text_(std::move(input_text)),
      sequence_(sequence),
      random_(seed),
      revision_(std::move(revision)) {
  // Built last: the interpreter keeps a reference to this host.
  execution_ =
      std::make_unique<asl::Execution>(std::move(definition), info_, std::move(input), *this);
  execution_->set_time_slice(context_.options.interpreter_slice);
  auto initial = std::make_shared<ExecutionSummary>();
  initial->start_date = now();
  summary_ = std::move(initial);
}

std::shared_ptr<const ExecutionSummary> ExecutionRecord::summary() const {
  const std::lock_guard lock(summary_mutex_);
  return summary_;
}

void ExecutionRecord::refresh_summary() {
  const auto previous = summary();
  auto next = std::make_shared<ExecutionSummary>();
  next->status = execution_->status();
  next->start_date = execution_->start_date();
  next->stop_date = execution_->stop_date();
  // The output is set once, as the execution succeeds: copied then only.
  if (execution_->output()) {
    next->output = previous->output && previous->status == next->status ? previous->output
                                                                        : execution_->output();
  }
  next->error = execution_->error();
  next->cause = execution_->cause();
  next->redrive_count = execution_->redrive_count();
  next->redrive_date = execution_->redrive_date();
  next->history_size = execution_->history().size();
  const std::lock_guard lock(summary_mutex_);
  summary_ = std::move(next);
}

ExecutionRecord::~ExecutionRecord() { history_budget_->release(history_bytes_reserved_); }

std::optional<std::string> ExecutionRecord::reserve_history_bytes(std::size_t bytes) {
  if (!history_budget_->try_reserve(bytes)) return history_budget_->refusal_cause();
  history_bytes_reserved_ += bytes;
  return std::nullopt;
}

std::unique_lock<std::mutex> ExecutionRecord::lock() { return std::unique_lock(mutex_); }

void ExecutionRecord::run(std::unique_lock<std::mutex>& held,
                          const std::function<void(asl::Execution&)>& fn) {
  (void)held;
  try {
    fn(*execution_);
  } catch (...) {
    // A request that fails (GetExecutionHistory's bad token) has recorded
    // nothing; publishing anyway keeps observers whole if something did.
    publish_events();
    throw;
  }
  while (!deferred_.empty()) {
    auto batch = std::move(deferred_);
    deferred_.clear();
    for (auto& work : batch) work(*execution_);
  }
  status_.store(execution_->status());
  redrive_count_.store(execution_->redrive_count());
  refresh_summary();
  publish_events();
  continue_later();
  if (execution_->status() != asl::ExecutionStatus::kRunning) {
    // Taking the lock orders this after a waiter's check of the status.
    std::vector<std::function<void()>> callbacks;
    {
      const std::lock_guard closed_lock(closed_mutex_);
      callbacks.swap(on_closed_);
    }
    closed_.notify_all();
    for (auto& callback : callbacks) context_.integrations.post(std::move(callback));
  }
}

void ExecutionRecord::continue_later() {
  if (resume_posted_ || !execution_->has_pending_work()) return;
  resume_posted_ = true;
  post([self = weak_from_this()] {
    if (const auto record = self.lock()) {
      record->with_execution([&](asl::Execution& execution) {
        record->resume_posted_ = false;
        execution.resume();
      });
    }
  });
}

void ExecutionRecord::post(std::function<void()> job) {
  {
    const std::lock_guard strand_lock(strand_mutex_);
    strand_.push_back(std::move(job));
    if (strand_scheduled_) return;
    strand_scheduled_ = true;
  }
  schedule_strand();
}

void ExecutionRecord::schedule_strand() {
  // After shutdown the pool drops the job and the strand stays scheduled:
  // nothing runs any more.
  context_.interpreter.enqueue([self = weak_from_this()] {
    if (const auto record = self.lock()) record->run_strand();
  });
}

void ExecutionRecord::run_strand() {
  std::function<void()> job;
  {
    const std::lock_guard strand_lock(strand_mutex_);
    job = std::move(strand_.front());
    strand_.pop_front();
  }
  try {
    job();
  } catch (const std::exception& e) {
    spdlog::error("{}: a posted job failed: {}", info_.execution_arn, e.what());
  } catch (...) {
    spdlog::error("{}: a posted job failed", info_.execution_arn);
  }
  {
    const std::lock_guard strand_lock(strand_mutex_);
    if (strand_.empty()) {
      strand_scheduled_ = false;
      return;
    }
  }
  // One job per turn: the pool's other executions go first.
  schedule_strand();
}

void ExecutionRecord::when_closed(std::function<void()> callback) {
  {
    const std::lock_guard closed_lock(closed_mutex_);
    if (status() == asl::ExecutionStatus::kRunning) {
      on_closed_.push_back(std::move(callback));
      return;
    }
  }
  context_.integrations.post(std::move(callback));
}

bool ExecutionRecord::wait_closed(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(closed_mutex_);
  return closed_.wait_until(lock, deadline,
                            [this] { return status() != asl::ExecutionStatus::kRunning; });
}

void ExecutionRecord::publish_events() {
  const auto& history = execution_->history();
  if (!hidden_ && published_ < history.size() && !context_.observers.empty()) {
    ExecutionNotice notice;
    notice.execution_arn = info_.execution_arn;
    notice.state_machine_arn = info_.state_machine_arn;
    auto next = published_;
    context_.observers.notify([&]() -> const ExecutionNotice* {
      if (next >= history.size()) return nullptr;
      notice.event = history[next];
      notice.worker.clear();
      for (const auto& [index, worker] : started_by_) {
        if (index == next) notice.worker = worker;
      }
      ++next;
      return &notice;
    });
  }
  published_ = history.size();
  started_by_.clear();
}

void ExecutionRecord::with_execution(const std::function<void(asl::Execution&)>& fn) {
  auto held = lock();
  run(held, fn);
}

asl::TaskReport ExecutionRecord::report_task(
    std::uint64_t task_id, bool closes_task,
    const std::function<asl::TaskReport(asl::Execution&)>& fn) {
  auto report = asl::TaskReport::kStale;
  with_execution([&](asl::Execution& execution) {
    report = fn(execution);
    if (report == asl::TaskReport::kAccepted && closes_task) close_task_locked(task_id);
  });
  return report;
}

asl::TaskReport ExecutionRecord::start_task(std::uint64_t task_id, const std::string& worker,
                                            const std::string& observed_worker) {
  return report_task(task_id, false, [&](asl::Execution& execution) {
    const auto index = execution.history().size();
    const auto report = execution.task_started(task_id, worker);
    // The event task_started recorded, unless it failed the execution instead.
    const auto& history = execution.history();
    if (report == asl::TaskReport::kAccepted && index < history.size() &&
        is_task_started(history[index].type)) {
      started_by_.emplace_back(index, observed_worker.empty() ? worker : observed_worker);
    }
    return report;
  });
}

asl::TimePoint ExecutionRecord::now() {
  return std::chrono::time_point_cast<asl::Duration>(std::chrono::system_clock::now());
}

asl::RandomSource& ExecutionRecord::random() { return random_; }

std::string ExecutionRecord::resource_problem(const asl::TaskRequest& request) {
  if (request.kind == asl::ResourceKind::kActivity &&
      !context_.activities.exists(request.resource)) {
    return "The activity " + request.resource + " does not exist.";
  }
  return {};
}

void ExecutionRecord::schedule_task(const asl::TaskRequest& request) {
  // kLambdaInvoke is the request-response form or .waitForTaskToken.
  const bool lambda = request.kind == asl::ResourceKind::kLambdaArn ||
                      request.kind == asl::ResourceKind::kLambdaInvoke;
  if (lambda) {
    schedule_lambda(request);
    return;
  }
  if (const auto pattern = start_execution_pattern(request.resource)) {
    schedule_start_execution(request, *pattern);
    return;
  }
  const bool runnable =
      request.kind == asl::ResourceKind::kActivity && context_.activities.exists(request.resource);
  if (!runnable) {
    const auto task_id = request.task_id;
    auto cause = unsupported_resource_cause(request.kind, request.resource);
    spdlog::debug("{}: cannot schedule task {}: {}", info_.execution_arn, task_id, cause);
    deferred_.emplace_back([task_id, cause = std::move(cause)](asl::Execution& execution) {
      execution.task_schedule_failed(task_id, kScheduleFailedError, cause);
    });
    return;
  }
  open_tasks_[request.task_id] = OpenTask{request.task_token, request.resource, {}, {}, {}};
  context_.tasks.add(request.task_token,
                     TaskEntry{weak_from_this(), request.task_id, request.resource, false});
  context_.queues.get(request.resource)
      ->push(
          QueuedTask{request.task_token, weak_from_this(), request.task_id, request.input.dump()});
}

void ExecutionRecord::schedule_lambda(const asl::TaskRequest& request) {
  const auto task_id = request.task_id;
  auto resolved =
      resolve_lambda_call(request, context_.options.region, context_.options.account_id);
  std::shared_ptr<LocalFunction> function;
  if (auto* call = std::get_if<LambdaCall>(&resolved)) {
    function = context_.functions.find(call->function_name);
    if (!function) {
      resolved = function_not_found(engine::function_arn(
          context_.options.region, context_.options.account_id, call->function_name));
    }
  }
  if (auto* failure = std::get_if<LambdaCallError>(&resolved)) {
    spdlog::debug("{}: task {}: {}", info_.execution_arn, task_id, failure->cause);
    // Lambda's Invoke answered with an error: for lambda:invoke the
    // integration started and its API call failed (TaskStarted, TaskFailed);
    // the legacy function ARN form records LambdaFunctionScheduleFailed.
    deferred_.emplace_back(
        [task_id, kind = request.kind, failure = std::move(*failure)](asl::Execution& execution) {
          if (kind == asl::ResourceKind::kLambdaInvoke) {
            if (execution.task_started(task_id, "") == asl::TaskReport::kAccepted) {
              execution.task_failed(task_id, failure.error, failure.cause);
            }
          } else {
            execution.task_schedule_failed(task_id, failure.error, failure.cause);
          }
        });
    return;
  }
  auto& call = std::get<LambdaCall>(resolved);
  const bool callback = request.kind == asl::ResourceKind::kLambdaInvoke &&
                        request.resource.ends_with(".waitForTaskToken");
  if (callback) {
    // Registered before the invocation can reach an environment: the
    // function may answer the token at once, from any client.
    context_.tasks.add(request.task_token, TaskEntry{weak_from_this(), task_id, "", false});
  }
  const auto request_id = function->invoke(
      weak_from_this(), task_id, std::move(call.event), std::move(call.invoked_arn),
      {.service_integration = request.kind == asl::ResourceKind::kLambdaInvoke,
       .log_tail = call.log_tail,
       .wait_for_task_token = callback});
  open_tasks_[task_id] = OpenTask{request.task_token, "", function, request_id, {}};
}

void ExecutionRecord::schedule_start_execution(const asl::TaskRequest& request,
                                               StartExecutionPattern pattern) {
  auto task = std::make_shared<StartExecutionTask>(context_, weak_from_this(), request.task_id,
                                                   pattern, request.input);
  if (pattern != StartExecutionPattern::kRequestResponse) {
    // A `.sync` task's token is answerable too (recorded: a child that
    // answers its parent's token with SendTaskSuccess ends the task).
    context_.tasks.add(request.task_token, TaskEntry{weak_from_this(), request.task_id, "", false});
  }
  open_tasks_[request.task_id] = OpenTask{request.task_token, "", {}, {}, task};
  task->start();
}

void ExecutionRecord::cancel_task(std::uint64_t task_id) {
  const auto it = open_tasks_.find(task_id);
  if (it == open_tasks_.end()) return;
  if (it->second.start_execution) {
    it->second.start_execution->cancel();
  } else if (!it->second.request_id.empty()) {
    if (const auto function = it->second.function.lock()) function->cancel(it->second.request_id);
  } else {
    context_.queues.get(it->second.activity_arn)->remove(it->second.token);
  }
  close_task_locked(task_id);
}

void ExecutionRecord::close_task_locked(std::uint64_t task_id) {
  const auto it = open_tasks_.find(task_id);
  if (it == open_tasks_.end()) return;
  context_.tasks.close(it->second.token);
  open_tasks_.erase(it);
}

void ExecutionRecord::start_timer(std::uint64_t timer_id, asl::TimePoint due) {
  std::weak_ptr<ExecutionRecord> self = weak_from_this();
  // The timer thread only hands the firing to the strand.
  timers_[timer_id] = context_.timers.start(due, [self, timer_id] {
    if (auto record = self.lock()) {
      record->post([self, timer_id] {
        if (auto fired = self.lock()) fired->fire_timer(timer_id);
      });
    }
  });
}

void ExecutionRecord::cancel_timer(std::uint64_t timer_id) {
  const auto it = timers_.find(timer_id);
  if (it == timers_.end()) return;
  context_.timers.cancel(it->second);
  timers_.erase(it);
}

void ExecutionRecord::fire_timer(std::uint64_t timer_id) {
  with_execution([&](asl::Execution& execution) {
    // The timer may have been cancelled between leaving the timer queue and
    // taking this lock.
    if (timers_.erase(timer_id) == 0) return;
    execution.timer_fired(timer_id);
  });
}

}  // namespace loveless::engine
