#include "execution_tracker.hpp"

#include <chrono>
#include <optional>

#include "loveless/aws/json_members.hpp"
#include "loveless/history/task_derivation.hpp"

#include "workload_runner.hpp"

namespace loveless::scenario::detail {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_task_family(const std::string& type) {
  return type.starts_with("Activity") || type.starts_with("LambdaFunction") ||
         type.starts_with("Task");
}

bool is_task_scheduled(const std::string& type) {
  return type == "ActivityScheduled" || type == "LambdaFunctionScheduled" ||
         type == "TaskScheduled";
}

bool is_task_started(const std::string& type) {
  return type == "ActivityStarted" || type == "LambdaFunctionStarted" || type == "TaskStarted";
}

bool is_task_end(const std::string& type) {
  return is_task_family(type) &&
         (ends_with(type, "Succeeded") || ends_with(type, "Failed") ||
          ends_with(type, "TimedOut")) &&
         type != "TaskStateFailed";
}

bool is_execution_end(const std::string& type) {
  return type == "ExecutionSucceeded" || type == "ExecutionFailed" || type == "ExecutionTimedOut" ||
         type == "ExecutionAborted";
}

std::string execution_status(const std::string& type) {
  if (type == "ExecutionSucceeded") return "SUCCEEDED";
  if (type == "ExecutionFailed") return "FAILED";
  if (type == "ExecutionTimedOut") return "TIMED_OUT";
  return "ABORTED";
}

history::TaskOutcome task_outcome(const std::string& type) {
  if (ends_with(type, "Succeeded")) return history::TaskOutcome::kSucceeded;
  if (ends_with(type, "TimedOut")) return history::TaskOutcome::kTimedOut;
  return history::TaskOutcome::kFailed;
}

}  // namespace

ExecutionTracker::ExecutionTracker(std::map<std::string, std::string> pool_of_resource,
                                   TriggerSink triggers, ClosedSink closed,
                                   history::RunObserver* observer)
    : pool_of_resource_(std::move(pool_of_resource)),
      triggers_(std::move(triggers)),
      closed_(std::move(closed)),
      observer_(observer) {}

std::optional<history::TaskAttemptEnded> ExecutionTracker::attempt_ended(
    const notices::ExecutionNotice& notice, Tracked& tracked, const std::string& state) {
  const auto& event = notice.event;
  history::TaskAttemptEnded ended;
  ended.phase = phase_of_execution(notice.execution_arn);
  ended.execution_arn = notice.execution_arn;
  ended.state_name = state;
  ended.outcome = task_outcome(event.type);
  if (const auto it = tracked.started.find(event.previous_event_id); it != tracked.started.end()) {
    ended.scheduled_event_id = it->second.scheduled_event_id;
    ended.pool = it->second.pool;
    ended.worker = it->second.worker;
  } else if (tracked.scheduled.contains(event.previous_event_id)) {
    ended.scheduled_event_id = event.previous_event_id;  // it never started
  } else {
    return std::nullopt;
  }
  if (const auto it = tracked.scheduled.find(ended.scheduled_event_id);
      it != tracked.scheduled.end()) {
    ended.pool = it->second.pool;
    ended.retry = it->second.retry;
    tracked.scheduled.erase(it);
  }
  if (ended.outcome != history::TaskOutcome::kSucceeded) tracked.failed_ends.insert(event.id);
  return ended;
}

std::string ExecutionTracker::pool_of(const asl::HistoryEvent& event) const {
  return history::pool_of_scheduled(event.type, event.details, pool_of_resource_).value_or("");
}

void ExecutionTracker::on_notice(const notices::ExecutionNotice& notice) {
  const auto received = std::chrono::system_clock::now();
  const auto& event = notice.event;
  std::optional<injectors::TriggerEvent> trigger;
  bool closed = false;
  std::optional<history::ExecutionClosed> closing;
  std::optional<history::TaskAttemptEnded> attempt;
  {
    std::lock_guard lock(mutex_);
    auto& tracked = executions_[notice.execution_arn];
    if (event.type == "ExecutionStarted") tracked.started_at = event.timestamp;
    std::string state;
    if (ends_with(event.type, "StateEntered")) {
      state = aws::string_member(event.details, "name");
      trigger = injectors::TriggerEvent{injectors::TriggerEvent::Kind::kStateEntered,
                                        received,
                                        notice.execution_arn,
                                        state,
                                        "",
                                        ""};
    } else if (const auto it = tracked.state_of_event.find(event.previous_event_id);
               it != tracked.state_of_event.end()) {
      state = it->second;
    }
    if (!state.empty()) tracked.state_of_event[event.id] = state;

    if (is_task_scheduled(event.type)) {
      tracked.scheduled[event.id] = {pool_of(event),
                                     tracked.failed_ends.contains(event.previous_event_id)};
    } else if (is_task_started(event.type)) {
      const auto scheduled = tracked.scheduled.find(event.previous_event_id);
      StartedTask task{state, scheduled == tracked.scheduled.end() ? "" : scheduled->second.pool,
                       notice.worker, event.previous_event_id};
      if (!notice.worker.empty()) task_workers_[notice.execution_arn][event.id] = notice.worker;
      if (event.type == "ActivityStarted") {
        ++worker_names_[{task.pool, aws::string_member(event.details, "workerName"),
                         notice.worker}];
      }
      trigger = injectors::TriggerEvent{injectors::TriggerEvent::Kind::kTaskStarted,
                                        received,
                                        notice.execution_arn,
                                        task.state,
                                        task.pool,
                                        task.worker};
      tracked.started[event.id] = std::move(task);
    } else if (is_task_end(event.type)) {
      if (observer_ != nullptr) attempt = attempt_ended(notice, tracked, state);
      if (const auto it = tracked.started.find(event.previous_event_id);
          it != tracked.started.end()) {
        trigger = injectors::TriggerEvent{injectors::TriggerEvent::Kind::kTaskEnded,
                                          received,
                                          notice.execution_arn,
                                          it->second.state,
                                          it->second.pool,
                                          it->second.worker};
        tracked.started.erase(it);
      }
    } else if (is_execution_end(event.type)) {
      if (observer_ != nullptr) {
        closing =
            history::ExecutionClosed{phase_of_execution(notice.execution_arn), notice.execution_arn,
                                     execution_status(event.type), std::nullopt};
        if (tracked.started_at) {
          closing->duration = std::chrono::duration_cast<std::chrono::milliseconds>(
              event.timestamp - *tracked.started_at);
        }
      }
      executions_.erase(notice.execution_arn);
      closed = true;
    }
  }
  if (trigger && triggers_) triggers_(*trigger);
  // An observer only watches: whatever it throws cannot disturb the run.
  try {
    if (attempt) observer_->task_attempt_ended(*attempt);
    if (closing) observer_->execution_closed(*closing);
  } catch (...) {
  }
  if (closed && closed_) closed_(notice.execution_arn);
}

std::map<std::string, std::map<std::int64_t, std::string>> ExecutionTracker::task_workers() const {
  std::lock_guard lock(mutex_);
  return task_workers_;
}

std::vector<ExecutionTracker::WorkerNameSeen> ExecutionTracker::worker_names() const {
  std::lock_guard lock(mutex_);
  std::vector<WorkerNameSeen> seen;
  for (const auto& [key, tasks] : worker_names_) {
    const auto& [pool, worker_name, worker] = key;
    seen.push_back({pool, worker_name, worker, tasks});
  }
  return seen;
}

std::vector<ExecutionTracker::WorkerNameSeen> ExecutionTracker::unmapped_workers(
    const std::function<bool(const std::string& worker_id)>& is_fleet_worker) const {
  auto seen = worker_names();
  // A worker the stack could not tell is reported under its workerName.
  std::erase_if(seen, [&](const WorkerNameSeen& entry) {
    return entry.worker != entry.worker_name || (is_fleet_worker && is_fleet_worker(entry.worker));
  });
  return seen;
}

std::vector<ExecutionTracker::WorkerNameSeen> ExecutionTracker::renamed_workers() const {
  auto seen = worker_names();
  std::erase_if(seen, [](const WorkerNameSeen& entry) {
    return entry.worker == entry.worker_name || entry.worker.empty();
  });
  return seen;
}

}  // namespace loveless::scenario::detail
