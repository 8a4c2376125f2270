#include <algorithm>
#include <string>
#include <utility>

#include "loveless/asl/errors.hpp"
#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "limits.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxRoleArnLength = 256;

std::shared_ptr<const asl::Definition> parse_definition(const std::string& text) {
  try {
    return asl::Definition::parse(text);
  } catch (const asl::InvalidDefinition& e) {
    throw ServiceError("InvalidDefinition",
                       "Invalid State Machine Definition: '" + std::string(e.what()) + "'");
  }
}

// AWS only checks the shape of an IAM role ARN (the role is never assumed locally).
void require_role_arn(const std::string& role_arn) {
  const bool looks_like_arn =
      role_arn.rfind("arn:", 0) == 0 && std::count(role_arn.begin(), role_arn.end(), ':') >= 5;
  if (!looks_like_arn) {
    throw ServiceError("InvalidArn", "Invalid Arn: '" + role_arn + "'");
  }
}

std::string require_type(const RequestReader& reader) {
  auto type = reader.optional_string("type").value_or("STANDARD");
  if (type == "EXPRESS") {
    throw ServiceError("ValidationException",
                       "EXPRESS state machines are not supported by the local engine; use "
                       "type STANDARD");
  }
  if (type != "STANDARD") {
    throw_constraint("type", type, "Member must satisfy enum value set: [STANDARD, EXPRESS]");
  }
  return type;
}

}  // namespace

nlohmann::json create_state_machine(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  // Names are checked by require_name so that a bad one answers InvalidName.
  auto name = reader.required_string("name");
  auto definition_text = reader.required_string("definition", 1, limits::kMaxDefinitionLength);
  auto role_arn = reader.required_string("roleArn", 1, kMaxRoleArnLength);
  auto type = require_type(reader);
  require_name(name);
  require_role_arn(role_arn);
  auto definition = parse_definition(definition_text);

  purge_deleted_state_machines(context);
  StateMachineRecord record;
  record.arn = state_machine_arn(context.options.region, context.options.account_id, name);
  record.name = std::move(name);
  record.definition_text = std::move(definition_text);
  record.definition = std::move(definition);
  record.role_arn = std::move(role_arn);
  record.type = std::move(type);
  record.creation_date = ServiceContext::now();
  const auto result = context.state_machines.create(std::move(record));
  return {{"stateMachineArn", result.record.arn},
          {"creationDate", asl::to_epoch_seconds(result.record.creation_date)}};
}

nlohmann::json describe_state_machine(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto record = require_state_machine(context, reader.required_string("stateMachineArn"));
  nlohmann::json response = {
      {"stateMachineArn", record.arn},
      {"name", record.name},
      {"status", record.deleting ? "DELETING" : "ACTIVE"},
      {"definition", record.definition_text},
      {"roleArn", record.role_arn},
      {"type", record.type},
      {"creationDate", asl::to_epoch_seconds(record.creation_date)},
      {"loggingConfiguration", {{"level", "OFF"}, {"includeExecutionData", false}}},
  };
  return response;
}

nlohmann::json list_state_machines(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto page_size = static_cast<std::size_t>(reader.page_size());
  const auto token = reader.optional_string("nextToken");
  const std::string scope = context.options.region + ":" + context.options.account_id;
  const auto after = token ? decode_page_token(*token, "stateMachines", scope) : std::string();
  purge_deleted_state_machines(context);
  auto records = context.state_machines.list_after(after, page_size);
  nlohmann::json response = {{"stateMachines", nlohmann::json::array()}};
  for (std::size_t i = 0; i < records.size() && i < page_size; ++i) {
    const auto& record = records[i];
    response["stateMachines"].push_back(
        {{"stateMachineArn", record.arn},
         {"name", record.name},
         {"type", record.type},
         {"creationDate", asl::to_epoch_seconds(record.creation_date)}});
  }
  if (records.size() > page_size) {
    response["nextToken"] = encode_page_token("stateMachines", scope, records[page_size - 1].arn);
  }
  return response;
}

nlohmann::json update_state_machine(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineArn");
  auto definition_text = reader.optional_string("definition", 1, limits::kMaxDefinitionLength);
  auto role_arn = reader.optional_string("roleArn", 1, kMaxRoleArnLength);
  const auto existing = require_state_machine(context, arn);
  if (!definition_text && !role_arn) {
    throw ServiceError("MissingRequiredParameter",
                       "Either the definition or the roleArn must be specified");
  }
  if (existing.deleting) {
    throw ServiceError("StateMachineDeleting", "State Machine Is Being Deleted: '" + arn + "'");
  }
  if (role_arn) require_role_arn(*role_arn);
  std::shared_ptr<const asl::Definition> definition;
  if (definition_text) definition = parse_definition(*definition_text);
  // Running executions hold their own pointer to the old definition and keep it.
  const auto updated =
      context.state_machines.update(arn, std::move(definition_text), std::move(definition),
                                    std::move(role_arn), ServiceContext::now());
  if (!updated) {
    throw ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }
  return {{"updateDate", asl::to_epoch_seconds(*updated->update_date)}};
}

nlohmann::json delete_state_machine(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineArn");
  require_arn(arn, ArnType::kStateMachine);
  // Like AWS: the state machine turns DELETING, refuses new executions, and
  // disappears once its running executions have ended; deleting an unknown
  // state machine succeeds.
  context.state_machines.remove(arn, context.executions.has_running(arn));
  return nlohmann::json::object();
}

}  // namespace loveless::engine
