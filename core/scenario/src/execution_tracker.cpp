#include "execution_tracker.hpp"

#include <chrono>
#include <optional>

#include "loveless/scenario/task_derivation.hpp"

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

std::string text(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ExecutionTracker::ExecutionTracker(std::map<std::string, std::string> pool_of_resource,
                                   TriggerSink triggers, ClosedSink closed)
    : pool_of_resource_(std::move(pool_of_resource)),
      triggers_(std::move(triggers)),
      closed_(std::move(closed)) {}

std::string ExecutionTracker::pool_of(const asl::HistoryEvent& event) const {
  return pool_of_scheduled(event.type, event.details, pool_of_resource_).value_or("");
}

void ExecutionTracker::on_notice(const engine::ExecutionNotice& notice) {
  const auto received = std::chrono::system_clock::now();
  const auto& event = notice.event;
  std::optional<injectors::TriggerEvent> trigger;
  bool closed = false;
  {
    std::lock_guard lock(mutex_);
    auto& tracked = executions_[notice.execution_arn];
    std::string state;
    if (ends_with(event.type, "StateEntered")) {
      state = text(event.details, "name");
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
      tracked.pool_of_scheduled[event.id] = pool_of(event);
    } else if (is_task_started(event.type)) {
      const auto pool = tracked.pool_of_scheduled.find(event.previous_event_id);
      StartedTask task{state, pool == tracked.pool_of_scheduled.end() ? "" : pool->second,
                       notice.worker};
      if (event.type != "ActivityStarted" && !notice.worker.empty()) {
        lambda_workers_[notice.execution_arn][event.id] = notice.worker;
      }
      trigger = injectors::TriggerEvent{injectors::TriggerEvent::Kind::kTaskStarted,
                                        received,
                                        notice.execution_arn,
                                        task.state,
                                        task.pool,
                                        task.worker};
      tracked.started[event.id] = std::move(task);
    } else if (is_task_end(event.type)) {
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
      executions_.erase(notice.execution_arn);
      closed = true;
    }
  }
  if (trigger && triggers_) triggers_(*trigger);
  if (closed && closed_) closed_(notice.execution_arn);
}

std::map<std::string, std::map<std::int64_t, std::string>> ExecutionTracker::lambda_workers()
    const {
  std::lock_guard lock(mutex_);
  return lambda_workers_;
}

}  // namespace loveless::scenario::detail
