#include "test_state_task.hpp"

#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "loveless/asl/errors.hpp"

#include "arn.hpp"
#include "execution_record.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

/// How often the caller looks at the hidden execution: TestState is an
/// interactive call, and the execution has nobody to notify.
constexpr auto kPollInterval = std::chrono::milliseconds(2);

std::shared_ptr<const asl::Definition> one_task_definition(const asl::TaskRequest& request) {
  nlohmann::json task = {{"Type", "Task"}, {"Resource", request.resource}, {"End", true}};
  if (request.timeout_seconds) task["TimeoutSeconds"] = *request.timeout_seconds;
  if (request.heartbeat_seconds) task["HeartbeatSeconds"] = *request.heartbeat_seconds;
  return asl::Definition::from_json({{"StartAt", "Task"}, {"States", {{"Task", std::move(task)}}}});
}

}  // namespace

asl::TestTaskOutcome run_test_task(ServiceContext& context, const asl::TaskRequest& request,
                                   std::chrono::milliseconds limit) {
  asl::ExecutionInfo info;
  info.state_machine_name = "TestState";
  info.execution_name = "test-state-" + std::to_string(context.next_seed());
  info.state_machine_arn = state_machine_arn(context.options.region, context.options.account_id,
                                             info.state_machine_name);
  info.execution_arn = execution_arn(context.options.region, context.options.account_id,
                                     info.state_machine_name, info.execution_name);
  // The effective input is the hidden execution's input, and its Task has no
  // InputPath or Parameters: the task receives exactly what the tested state sends.
  auto record = std::make_shared<ExecutionRecord>(context, one_task_definition(request),
                                                  std::move(info), request.input.dump(),
                                                  request.input, 0, context.next_seed());
  record->hide_from_observers();
  record->with_execution([](asl::Execution& execution) { execution.start(); });

  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (record->status() == asl::ExecutionStatus::kRunning &&
         std::chrono::steady_clock::now() < deadline && !context.shutting_down) {
    std::this_thread::sleep_for(kPollInterval);
  }
  asl::TestTaskOutcome outcome;
  record->with_execution([&](asl::Execution& execution) {
    if (execution.status() == asl::ExecutionStatus::kRunning) {
      execution.stop("", "");
      outcome.succeeded = false;
      if (context.shutting_down) {
        outcome.error = asl::error_names::kRuntime;
        outcome.cause = "The engine shut down before the task finished";
      } else {
        outcome.error = asl::error_names::kTimeout;
        outcome.cause = "The state did not finish within the TestState limit of " +
                        std::to_string(limit.count() / 1000) + " seconds";
      }
      return;
    }
    if (execution.status() == asl::ExecutionStatus::kSucceeded && execution.output()) {
      outcome.result = *execution.output();
      return;
    }
    outcome.succeeded = false;
    outcome.error = execution.error();
    outcome.cause = execution.cause();
  });
  return outcome;
}

}  // namespace loveless::engine
