#pragma once

#include <memory>
#include <string>

#include "activity_registry.hpp"
#include "state_machine_registry.hpp"

namespace loveless::engine {

struct ServiceContext;
class ExecutionRecord;

// Lookups shared by the operations: each validates the ARN (InvalidArn) and
// throws the AWS "does not exist" error with the message AWS records.

/// StateMachineDoesNotExist: "State Machine Does Not Exist: '<arn>'".
StateMachineRecord require_state_machine(ServiceContext& context, const std::string& arn);
/// ExecutionDoesNotExist: "Execution Does Not Exist: '<arn>'".
std::shared_ptr<ExecutionRecord> require_execution(ServiceContext& context, const std::string& arn);
/// ActivityDoesNotExist: "Activity Does Not Exist: '<arn>'".
ActivityRecord require_activity(ServiceContext& context, const std::string& arn);

/// Finishes DeleteStateMachine for state machines marked DELETING whose
/// executions have all ended.
void purge_deleted_state_machines(ServiceContext& context);

}  // namespace loveless::engine
