#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/history/history.hpp"

namespace loveless::history {

/// What the runner knows beyond an execution's history events.
struct TaskContext {
  /// The pool serving a resource: activity ARN, Lambda function ARN or
  /// function name -> pool name.
  std::map<std::string, std::string> pool_of_resource;
  /// The worker of each task as the stack saw it: the *Started event id ->
  /// worker, per execution ARN (the local engine reports them live). For an
  /// activity task, the fleet worker whose process polled, whatever
  /// `workerName` it sent; for a Lambda task, the environment, which AWS does
  /// not record.
  std::map<std::string, std::map<std::int64_t, std::string>> task_workers;
};

/// The tasks of one execution, derived from its history events (API shape):
/// each `ActivityScheduled`, `LambdaFunctionScheduled` or `TaskScheduled` of a
/// Lambda `lambda:invoke` opens a task; its `*Started` names the worker
/// (`context.task_workers`, else ActivityStarted's `workerName`); its
/// `*Succeeded`, `*Failed`, `*TimedOut` (or a `*StartFailed` /
/// `*ScheduleFailed`) ends it. The state name comes from the `TaskStateEntered`
/// the scheduled event's `previousEventId` chain leads back to. Events are
/// linked by `previousEventId` as Step Functions links them. Unknown or
/// malformed events are skipped, never thrown on.
std::vector<TaskRecord> derive_tasks(const ExecutionRecord& execution, const TaskContext& context);

/// The pool serving the task that a scheduled event of type `type` opens,
/// from the event's details object (`activityScheduledEventDetails`, ...):
/// ActivityScheduled and LambdaFunctionScheduled name it in `resource`; a
/// TaskScheduled of `lambda:invoke` (or `.waitForTaskToken`) in its
/// `parameters`' `FunctionName`, which may be a name, `name:qualifier` or an
/// ARN (Step Functions accepts each). Looked up in `pool_of_resource` by the
/// exact string, then by the function name. Returns "" when no pool serves
/// it, nullopt when the event opens no task (another service integration or
/// another event type). Used live by the runner and afterwards by
/// `derive_tasks`, so both name the same pool.
std::optional<std::string> pool_of_scheduled(
    std::string_view type, const nlohmann::json& details,
    const std::map<std::string, std::string>& pool_of_resource);

}  // namespace loveless::history
