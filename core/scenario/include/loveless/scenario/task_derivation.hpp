#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "loveless/scenario/history.hpp"

namespace loveless::scenario {

/// What the runner knows beyond an execution's history events.
struct TaskContext {
  /// The pool serving a resource: activity ARN, Lambda function ARN or
  /// function name -> pool name.
  std::map<std::string, std::string> pool_of_resource;
  /// Workers of Lambda tasks, which AWS does not record: the *Started event
  /// id -> worker, per execution ARN (the local engine reports them live).
  std::map<std::string, std::map<std::int64_t, std::string>> lambda_workers;
};

/// The tasks of one execution, derived from its history events (API shape):
/// each `ActivityScheduled`, `LambdaFunctionScheduled` or `TaskScheduled` of a
/// Lambda `lambda:invoke` opens a task; its `*Started` names the worker
/// (ActivityStarted's `workerName`, else `context.lambda_workers`); its
/// `*Succeeded`, `*Failed`, `*TimedOut` (or a `*StartFailed` /
/// `*ScheduleFailed`) ends it. The state name comes from the `TaskStateEntered`
/// the scheduled event's `previousEventId` chain leads back to. Events are
/// linked by `previousEventId` as Step Functions links them. Unknown or
/// malformed events are skipped, never thrown on.
std::vector<TaskRecord> derive_tasks(const ExecutionRecord& execution, const TaskContext& context);

}  // namespace loveless::scenario
