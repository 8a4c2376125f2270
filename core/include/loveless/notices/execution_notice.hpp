#pragma once
// What a stack tells the runner about its executions as they happen: the
// local engine pushes these (`engine::StepFunctionsService::observe`), the
// aws stack makes the same ones from polled histories. Neither side owns the
// type: the engine and the scenario side both include this header
// (loveless::notices), so the scenario side needs no engine.

#include <functional>
#include <string>

#include "loveless/asl/history.hpp"

namespace loveless::notices {

/// One history event of one execution, as the engine records it.
struct ExecutionNotice {
  std::string execution_arn;
  std::string state_machine_arn;
  /// Id, previousEventId, timestamp, type and details, as GetExecutionHistory
  /// gives them (`asl::to_json` makes the API's JSON of it).
  asl::HistoryEvent event;
  /// For the Started event of a task (ActivityStarted, LambdaFunctionStarted,
  /// TaskStarted of `lambda:invoke`): the worker that took the task, i.e. the
  /// fleet worker whose process made the GetActivityTask call (when a
  /// `WorkerResolver` knows it), else the activity poller's `workerName` (the
  /// history keeps that name in either case, as AWS records it), or the id of
  /// the local Lambda execution environment (which AWS does not record). Empty
  /// for every other event, and for a Started event no worker took (a
  /// `lambda:invoke` of an unknown function).
  std::string worker;
};

/// Receives a stack's notices (`ScenarioStack::observe`,
/// `engine::StepFunctionsService::observe`).
using ExecutionObserver = std::function<void(const ExecutionNotice&)>;

}  // namespace loveless::notices
