#include "execution_start.hpp"

#include <utility>

#include "loveless/asl/json_document.hpp"
#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "execution_input.hpp"
#include "execution_record.hpp"
#include "limits.hpp"
#include "service_context.hpp"
#include "uuid.hpp"

namespace loveless::engine {
namespace {

nlohmann::json start_response(const ExecutionRecord& record, const asl::Execution& execution) {
  return {{"executionArn", record.arn()},
          {"startDate", asl::to_epoch_seconds(execution.start_date())}};
}

}  // namespace

StartedExecution start_execution_of(ServiceContext& context, const ResolvedStateMachine& resolved,
                                    std::optional<std::string> name,
                                    std::optional<std::string> input_text) {
  const auto& state_machine = resolved.record;
  if (name) {
    require_name(*name);
  } else {
    name = random_uuid(context.next_seed(), context.next_seed());
  }
  if (!input_text) input_text = "{}";
  auto input = parse_execution_input(*input_text);
  if (state_machine.deleting) {
    throw ServiceError("StateMachineDeleting",
                       "State Machine Is Being Deleted: '" + state_machine.arn + "'");
  }

  const auto& options = context.options;
  const bool express = state_machine.type == "EXPRESS";
  asl::ExecutionInfo info;
  info.execution_arn =
      express ? express_execution_arn(options.region, options.account_id, state_machine.name, *name,
                                      random_uuid(context.next_seed(), context.next_seed()))
              : execution_arn(options.region, options.account_id, state_machine.name, *name);
  info.execution_name = *name;
  info.state_machine_arn = state_machine.arn;
  info.state_machine_name = state_machine.name;
  info.role_arn = resolved.revision->role_arn;
  auto record = std::make_shared<ExecutionRecord>(
      context, resolved.revision->definition, std::move(info), std::move(*input_text),
      std::move(input), context.executions.next_sequence(), context.next_seed(), resolved.revision);
  record->set_started_through(resolved.version_arn, resolved.alias_arn);

  // Registering under the new execution's lock means nobody can observe it
  // before it has started.
  auto held = record->lock();
  const auto registered = context.executions.insert(record);
  if (registered == record) {
    StartedExecution started{record, nullptr};
    record->run(held, [&](asl::Execution& execution) {
      execution.start();
      started.response = start_response(*record, execution);
    });
    return started;
  }
  held.unlock();

  // The name is taken: StartExecution is idempotent for the same input while
  // the first execution runs.
  StartedExecution started{registered, nullptr};
  registered->with_execution([&](asl::Execution& execution) {
    if (execution.status() == asl::ExecutionStatus::kRunning &&
        registered->input_text() == record->input_text()) {
      started.response = start_response(*registered, execution);
    }
  });
  if (started.response.is_null()) {
    throw ServiceError("ExecutionAlreadyExists",
                       "Execution Already Exists: '" + registered->arn() + "'");
  }
  return started;
}

}  // namespace loveless::engine
