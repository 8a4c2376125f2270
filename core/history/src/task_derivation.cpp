// Tasks from an execution's history events: which state scheduled each
// activity task or Lambda invocation, which worker ran it, and how it ended.

#include "loveless/history/task_derivation.hpp"

#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace loveless::history {

namespace {

using nlohmann::json;

enum class EventRole {
  kScheduled,
  kStarted,
  /// TaskSubmitted: a .waitForTaskToken integration's call returned; the
  /// task stays open and its end follows this event.
  kSubmitted,
  kSucceeded,
  kFailed,
  kTimedOut,
  kStartFailed
};

/// The task events of the three resource families: the role an event type
/// plays and the key of its details object. TaskScheduled/TaskStarted/...
/// also describe other service integrations: `pool_of_scheduled` keeps the
/// Lambda ones only.
struct TaskEventType {
  EventRole role;
  const char* details_key;
};

std::optional<TaskEventType> task_event_type(std::string_view type) {
  static const std::unordered_map<std::string_view, TaskEventType> kTypes = {
      {"ActivityScheduled", {EventRole::kScheduled, "activityScheduledEventDetails"}},
      {"ActivityStarted", {EventRole::kStarted, "activityStartedEventDetails"}},
      {"ActivitySucceeded", {EventRole::kSucceeded, "activitySucceededEventDetails"}},
      {"ActivityFailed", {EventRole::kFailed, "activityFailedEventDetails"}},
      {"ActivityTimedOut", {EventRole::kTimedOut, "activityTimedOutEventDetails"}},
      {"ActivityScheduleFailed", {EventRole::kStartFailed, "activityScheduleFailedEventDetails"}},
      {"LambdaFunctionScheduled", {EventRole::kScheduled, "lambdaFunctionScheduledEventDetails"}},
      {"LambdaFunctionStarted", {EventRole::kStarted, "lambdaFunctionStartedEventDetails"}},
      {"LambdaFunctionSucceeded", {EventRole::kSucceeded, "lambdaFunctionSucceededEventDetails"}},
      {"LambdaFunctionFailed", {EventRole::kFailed, "lambdaFunctionFailedEventDetails"}},
      {"LambdaFunctionTimedOut", {EventRole::kTimedOut, "lambdaFunctionTimedOutEventDetails"}},
      {"LambdaFunctionScheduleFailed",
       {EventRole::kStartFailed, "lambdaFunctionScheduleFailedEventDetails"}},
      {"LambdaFunctionStartFailed",
       {EventRole::kStartFailed, "lambdaFunctionStartFailedEventDetails"}},
      {"TaskScheduled", {EventRole::kScheduled, "taskScheduledEventDetails"}},
      {"TaskStarted", {EventRole::kStarted, "taskStartedEventDetails"}},
      {"TaskSubmitted", {EventRole::kSubmitted, "taskSubmittedEventDetails"}},
      {"TaskSucceeded", {EventRole::kSucceeded, "taskSucceededEventDetails"}},
      {"TaskFailed", {EventRole::kFailed, "taskFailedEventDetails"}},
      {"TaskTimedOut", {EventRole::kTimedOut, "taskTimedOutEventDetails"}},
      {"TaskStartFailed", {EventRole::kStartFailed, "taskStartFailedEventDetails"}},
  };
  const auto it = kTypes.find(type);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

/// The fields every event needs; nullopt for a malformed event.
struct EventView {
  std::int64_t id = 0;
  std::int64_t previous = 0;
  std::string_view type;
  TimePoint at{};
  const json* event = nullptr;
};

std::optional<EventView> view_of(const json& event) {
  if (!event.is_object()) return std::nullopt;
  const auto id = event.find("id");
  const auto type = event.find("type");
  const auto timestamp = event.find("timestamp");
  if (id == event.end() || !id->is_number_integer() || type == event.end() || !type->is_string() ||
      timestamp == event.end() || !timestamp->is_number()) {
    return std::nullopt;
  }
  EventView view;
  view.id = id->get<std::int64_t>();
  if (const auto previous = event.find("previousEventId");
      previous != event.end() && previous->is_number_integer()) {
    view.previous = previous->get<std::int64_t>();
  }
  view.type = type->get_ref<const std::string&>();
  view.at = from_epoch_seconds(timestamp->get<double>());
  view.event = &event;
  return view;
}

/// The string member `key` of a details object, or "".
std::string member_string(const json& details, const char* key) {
  if (!details.is_object()) return "";
  const auto value = details.find(key);
  return value != details.end() && value->is_string() ? value->get<std::string>() : "";
}

/// The string member `key` of the event's details object `details_key`, or "".
std::string detail_string(const json& event, const char* details_key, const char* key) {
  const auto details = event.find(details_key);
  return details == event.end() ? "" : member_string(*details, key);
}

/// The function name of a Lambda reference: a name, `name:qualifier`, a
/// partial ARN (`account:function:name[:qualifier]`) or a full ARN.
std::string function_name_of(std::string_view reference) {
  if (const auto at = reference.find("function:"); at != std::string_view::npos) {
    reference.remove_prefix(at + 9);
  }
  if (const auto colon = reference.find(':'); colon != std::string_view::npos) {
    reference = reference.substr(0, colon);
  }
  return std::string(reference);
}

/// An execution's events that `view_of` reads, in order, each id once.
struct EventIndex {
  std::vector<EventView> events;
  std::unordered_map<std::int64_t, std::size_t> by_id;
};

EventIndex index_events(const ExecutionRecord& execution) {
  EventIndex index;
  index.events.reserve(execution.events.size());
  for (const auto& event : execution.events) {
    auto view = view_of(event);
    if (!view || index.by_id.count(view->id) > 0) continue;
    index.by_id.emplace(view->id, index.events.size());
    index.events.push_back(*view);
  }
  return index;
}

/// The state whose TaskStateEntered the previousEventId chain leads back to.
std::string state_name_of(const EventIndex& index, const EventView& scheduled) {
  std::int64_t previous = scheduled.previous;
  for (std::size_t steps = 0; steps < index.events.size() && previous > 0; ++steps) {
    const auto it = index.by_id.find(previous);
    if (it == index.by_id.end()) return "";
    const EventView& event = index.events[it->second];
    if (event.type == "TaskStateEntered") {
      return detail_string(*event.event, "stateEnteredEventDetails", "name");
    }
    previous = event.previous;
  }
  return "";
}

/// An open task's end: when, its outcome, and its error and cause unless it
/// succeeded.
void record_end(TaskRecord& task, const EventView& event, const TaskEventType& kind) {
  task.ended = event.at;
  switch (kind.role) {
    case EventRole::kSucceeded:
      task.outcome = TaskOutcome::kSucceeded;
      break;
    case EventRole::kTimedOut:
      task.outcome = TaskOutcome::kTimedOut;
      break;
    default:
      task.outcome = TaskOutcome::kFailed;
      break;
  }
  if (task.outcome != TaskOutcome::kSucceeded) {
    task.error = detail_string(*event.event, kind.details_key, "error");
    task.cause = detail_string(*event.event, kind.details_key, "cause");
  }
}

}  // namespace

std::vector<TaskRecord> derive_tasks(const ExecutionRecord& execution, const TaskContext& context) {
  const EventIndex index = index_events(execution);
  const auto& events = index.events;

  const auto* task_workers = [&]() -> const std::map<std::int64_t, std::string>* {
    const auto it = context.task_workers.find(execution.arn);
    return it == context.task_workers.end() ? nullptr : &it->second;
  }();

  std::vector<TaskRecord> tasks;
  // Scheduled and started event ids -> the task they belong to.
  std::unordered_map<std::int64_t, std::size_t> task_of_event;
  for (const auto& event : events) {
    const auto kind = task_event_type(event.type);
    if (!kind) continue;
    if (kind->role == EventRole::kScheduled) {
      const auto details = event.event->find(kind->details_key);
      auto pool = pool_of_scheduled(event.type, details == event.event->end() ? json() : *details,
                                    context.pool_of_resource);
      if (!pool) continue;  // another service integration: not a task
      TaskRecord task;
      task.phase = execution.phase;
      task.execution_arn = execution.arn;
      task.state_name = state_name_of(index, event);
      task.pool = std::move(*pool);
      task.scheduled_event_id = event.id;
      task.scheduled = event.at;
      task_of_event[event.id] = tasks.size();
      tasks.push_back(std::move(task));
      continue;
    }
    const auto linked = task_of_event.find(event.previous);
    if (linked == task_of_event.end()) continue;
    TaskRecord& task = tasks[linked->second];
    if (kind->role == EventRole::kSubmitted) {
      task_of_event[event.id] = linked->second;
      continue;
    }
    if (kind->role == EventRole::kStarted) {
      if (task.started || task.outcome != TaskOutcome::kOpen) continue;
      task.started = event.at;
      task.started_event_id = event.id;
      // The stack's attribution first: an activity worker may poll with a
      // workerName no fleet worker has (an AWS SDK's default).
      if (task_workers != nullptr) {
        if (const auto it = task_workers->find(event.id); it != task_workers->end()) {
          task.worker = it->second;
        }
      }
      if (task.worker.empty() && event.type == "ActivityStarted") {
        task.worker = detail_string(*event.event, kind->details_key, "workerName");
      }
      task_of_event[event.id] = linked->second;
      continue;
    }
    if (task.outcome == TaskOutcome::kOpen) record_end(task, event, *kind);
  }
  return tasks;
}

std::optional<std::string> pool_of_scheduled(
    std::string_view type, const json& details,
    const std::map<std::string, std::string>& pool_of_resource) {
  std::string resource;
  if (type == "TaskScheduled") {
    if (member_string(details, "resourceType") != "lambda") return std::nullopt;
    const auto action = member_string(details, "resource");
    if (action != "invoke" && action != "invoke.waitForTaskToken") return std::nullopt;
    // The parameters are a JSON text in the event.
    resource = member_string(json::parse(member_string(details, "parameters"), nullptr, false),
                             "FunctionName");
  } else if (type == "ActivityScheduled" || type == "LambdaFunctionScheduled") {
    resource = member_string(details, "resource");
  } else {
    return std::nullopt;
  }
  if (const auto it = pool_of_resource.find(resource); it != pool_of_resource.end()) {
    return it->second;
  }
  if (type != "ActivityScheduled") {
    if (const auto it = pool_of_resource.find(function_name_of(resource));
        it != pool_of_resource.end()) {
      return it->second;
    }
  }
  return std::string();
}

}  // namespace loveless::history
