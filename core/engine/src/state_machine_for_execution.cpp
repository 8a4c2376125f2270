#include "loveless/engine/service_error.hpp"

#include "execution_record.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "variable_references.hpp"

namespace loveless::engine {

// The revision the execution started with, whatever UpdateStateMachine or
// DeleteStateMachine did since (test_sfn_api recordings: updateDate is the
// creation date until the state machine is updated). An express execution's
// ARN answers InvalidArn, as AWS does: the operation is not for EXPRESS.
nlohmann::json describe_state_machine_for_execution(ServiceContext& context,
                                                    const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto record = require_execution(context, reader.required_string("executionArn"));
  const auto& revision = record->revision();
  if (!revision) {
    throw ServiceError("ExecutionDoesNotExist",
                       "Execution Does Not Exist: '" + record->arn() + "'");
  }
  nlohmann::json response = {
      {"stateMachineArn", record->info().state_machine_arn},
      {"name", record->info().state_machine_name},
      {"definition", revision->definition_text},
      {"roleArn", revision->role_arn},
      {"updateDate", asl::to_epoch_seconds(revision->update_date)},
      {"loggingConfiguration", revision->logging},
      {"tracingConfiguration", {{"enabled", revision->tracing_enabled}}},
  };
  if (!revision->revision_id.empty()) response["revisionId"] = revision->revision_id;
  if (auto references = variable_references(revision->definition->document())) {
    response["variableReferences"] = std::move(*references);
  }
  return response;
}

}  // namespace loveless::engine
