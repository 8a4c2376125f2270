#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "state_machine_versions.hpp"

namespace loveless::engine {

struct ServiceContext;
class ExecutionRecord;

/// An execution StartExecution or StartSyncExecution began, and the
/// `{"executionArn", "startDate"}` StartExecution answers with.
struct StartedExecution {
  std::shared_ptr<ExecutionRecord> record;
  nlohmann::json response;
};

/// Starts an execution of `state_machine` named `name` (a UUID when absent)
/// on `input_text` (`{}` when absent), running the revision it resolved to
/// (the current one, or a version's) and recording the version and alias
/// it was started through.
///
/// STANDARD: the ARN is `...:execution:<machine>:<name>`; a name already used
/// by a running execution with the same input returns that execution
/// (StartExecution is idempotent), otherwise `ExecutionAlreadyExists`.
/// EXPRESS: the ARN is `...:express:<machine>:<name>:<uuid>`, names may repeat
/// (AWS gives express executions no idempotency).
///
/// Throws `InvalidName`, `InvalidExecutionInput` (not JSON, over 262,144
/// bytes) and `StateMachineDeleting`.
StartedExecution start_execution_of(ServiceContext& context,
                                    const ResolvedStateMachine& state_machine,
                                    std::optional<std::string> name,
                                    std::optional<std::string> input_text);

}  // namespace loveless::engine
