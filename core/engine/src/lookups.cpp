#include "lookups.hpp"

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "execution_record.hpp"
#include "service_context.hpp"

namespace loveless::engine {

StateMachineRecord require_state_machine(ServiceContext& context, const std::string& arn) {
  require_arn(arn, ArnType::kStateMachine);
  purge_deleted_state_machines(context);
  auto record = context.state_machines.find(arn);
  if (!record) {
    throw ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }
  return *record;
}

std::shared_ptr<ExecutionRecord> require_execution(ServiceContext& context,
                                                   const std::string& arn) {
  require_arn(arn, ArnType::kExecution);
  auto record = context.executions.find(arn);
  if (!record) {
    throw ServiceError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }
  return record;
}

ActivityRecord require_activity(ServiceContext& context, const std::string& arn) {
  require_arn(arn, ArnType::kActivity);
  auto record = context.activities.find(arn);
  if (!record) {
    throw ServiceError("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
  }
  return *record;
}

void purge_deleted_state_machines(ServiceContext& context) {
  for (const auto& arn : context.state_machines.deleting()) {
    if (!context.executions.has_running(arn)) context.state_machines.remove(arn, false);
  }
}

}  // namespace loveless::engine
