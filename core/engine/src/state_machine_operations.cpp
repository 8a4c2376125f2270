#include <algorithm>
#include <string>
#include <utility>

#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_document.hpp"
#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "definition_errors.hpp"
#include "express_rules.hpp"
#include "limits.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "state_machine_configuration.hpp"
#include "state_machine_versions.hpp"
#include "tag_request.hpp"
#include "uuid.hpp"
#include "variable_references.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxRoleArnLength = 256;

std::shared_ptr<const asl::Definition> parse_definition(const std::string& text,
                                                        const std::string& type) {
  std::shared_ptr<const asl::Definition> definition;
  try {
    definition = asl::Definition::parse(text);
  } catch (const asl::InvalidDefinition& e) {
    throw_invalid_definition(e);
  }
  if (type == "EXPRESS") {
    if (const auto violation = express_violation(definition->document())) {
      throw_invalid_definition(*violation);
    }
  }
  return definition;
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
  if (type != "STANDARD" && type != "EXPRESS") {
    throw_constraint("type", type, "Member must satisfy enum value set: [STANDARD, EXPRESS]");
  }
  return type;
}

std::string new_revision_id(ServiceContext& context) {
  return random_uuid(context.next_seed(), context.next_seed());
}

constexpr std::size_t kMaxVersionDescriptionLength = 256;

/// `publish` and `versionDescription` of CreateStateMachine and
/// UpdateStateMachine: the description to publish with, nullopt when not
/// publishing.
std::optional<std::string> read_publish(const RequestReader& reader) {
  const bool publish = reader.optional_bool("publish", false);
  auto description = reader.optional_string("versionDescription", 0, kMaxVersionDescriptionLength);
  if (!publish && description && !description->empty()) {
    throw ServiceError("ValidationException",
                       "Version description can only be set when publish is true");
  }
  if (!publish) return std::nullopt;
  return description.value_or("");
}

void add_variable_references(const StateMachineRevision& revision, nlohmann::json& response) {
  if (auto references = variable_references(revision.definition->document())) {
    response["variableReferences"] = std::move(*references);
  }
}

/// DescribeStateMachine's answer for `revision` of `record`, under `arn`
/// (the state machine's, or a version's) created at `creation_date`.
nlohmann::json describe_revision(const StateMachineRecord& record,
                                 const StateMachineRevision& revision, const std::string& arn,
                                 asl::TimePoint creation_date) {
  nlohmann::json response = {
      {"stateMachineArn", arn},
      {"name", record.name},
      {"status", record.deleting ? "DELETING" : "ACTIVE"},
      {"definition", revision.definition_text},
      {"roleArn", revision.role_arn},
      {"type", record.type},
      {"creationDate", asl::to_epoch_seconds(creation_date)},
      {"loggingConfiguration", revision.logging},
      {"tracingConfiguration", {{"enabled", revision.tracing_enabled}}},
  };
  if (!revision.revision_id.empty()) response["revisionId"] = revision.revision_id;
  add_variable_references(revision, response);
  return response;
}

}  // namespace

nlohmann::json create_state_machine(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  reader.check_encryption_configuration();
  // Names are checked by require_name so that a bad one answers InvalidName.
  auto name = reader.required_string("name");
  auto definition_text = reader.required_string("definition", 1, limits::kMaxDefinitionLength);
  auto role_arn = reader.required_string("roleArn", 1, kMaxRoleArnLength);
  auto type = require_type(reader);
  const auto tags = read_tags(reader);
  auto logging = read_logging_configuration(reader).value_or(default_logging_configuration());
  const auto tracing = read_tracing_configuration(reader).value_or(false);
  const auto publish = read_publish(reader);
  require_name(name);
  require_role_arn(role_arn);
  auto definition = parse_definition(definition_text, type);

  purge_deleted_state_machines(context);
  const auto now = ServiceContext::now();
  auto revision = std::make_shared<StateMachineRevision>();
  revision->definition_text = std::move(definition_text);
  revision->definition = std::move(definition);
  revision->role_arn = std::move(role_arn);
  revision->logging = std::move(logging);
  revision->tracing_enabled = tracing;
  revision->update_date = now;
  StateMachineRecord record;
  record.arn = state_machine_arn(context.options.region, context.options.account_id, name);
  record.name = std::move(name);
  record.type = std::move(type);
  record.creation_date = now;
  record.revision = std::move(revision);
  const auto result = context.state_machines.create(std::move(record));
  if (!tags.empty()) context.tags.add(result.record.arn, tags);
  nlohmann::json response = {{"stateMachineArn", result.record.arn},
                             {"creationDate", asl::to_epoch_seconds(result.record.creation_date)}};
  if (publish) {
    const auto version = publish_version_of(context, result.record.arn, std::nullopt, *publish);
    response["stateMachineVersionArn"] = version_arn(result.record.arn, version.number);
  }
  return response;
}

nlohmann::json describe_state_machine(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineArn");
  if (const auto parsed = parse_arn(arn); parsed && parsed->type == ArnType::kStateMachineAlias) {
    // Our choice: AWS documents DescribeStateMachine for state machine and
    // version ARNs only; an alias is described by DescribeStateMachineAlias.
    throw ServiceError("InvalidArn",
                       "Invalid Arn: 'Resource type not valid in this context: "
                       "alias' (describe an alias with DescribeStateMachineAlias)");
  }
  const auto resolved = resolve_state_machine(context, arn);
  const auto& record = resolved.record;
  if (!resolved.version) {
    return describe_revision(record, *record.revision, record.arn, record.creation_date);
  }
  // A version: its revision, creation date and description (test_sfn_api_versioning).
  const auto& version = *resolved.version;
  auto response =
      describe_revision(record, *version.revision, resolved.version_arn, version.creation_date);
  if (!version.description.empty()) response["description"] = version.description;
  return response;
}

nlohmann::json list_state_machines(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto page_size = static_cast<std::size_t>(reader.page_size());
  const auto token = reader.next_token();
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
  reader.check_encryption_configuration();
  const auto arn = reader.required_string("stateMachineArn");
  StateMachineUpdate update;
  update.definition_text = reader.optional_string("definition", 1, limits::kMaxDefinitionLength);
  update.role_arn = reader.optional_string("roleArn", 1, kMaxRoleArnLength);
  update.logging = read_logging_configuration(reader);
  update.tracing_enabled = read_tracing_configuration(reader);
  const auto publish = read_publish(reader);
  const auto existing = require_state_machine(context, arn);
  if (!update.definition_text && !update.role_arn && !update.logging && !update.tracing_enabled) {
    throw ServiceError("MissingRequiredParameter",
                       "Either the definition, the role ARN, the LoggingConfiguration, or the "
                       "TracingConfiguration must be specified");
  }
  if (existing.deleting) {
    throw ServiceError("StateMachineDeleting", "State Machine Is Being Deleted: '" + arn + "'");
  }
  if (update.role_arn) require_role_arn(*update.role_arn);
  if (update.definition_text) {
    update.definition = parse_definition(*update.definition_text, existing.type);
  }
  const auto now = ServiceContext::now();
  update.update_date = now;
  update.new_revision_id = new_revision_id(context);
  // Running executions hold their own revision and keep it.
  const auto updated = context.state_machines.update(arn, std::move(update));
  if (!updated) {
    throw ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }
  nlohmann::json response = {{"updateDate", asl::to_epoch_seconds(now)}};
  // No revisionId before the first change (test_empty_revision_with_publish_*).
  if (!updated->revision->revision_id.empty()) {
    response["revisionId"] = updated->revision->revision_id;
  }
  if (publish) {
    const auto version = publish_version_of(context, arn, std::nullopt, *publish);
    response["stateMachineVersionArn"] = version_arn(arn, version.number);
  }
  return response;
}

nlohmann::json delete_state_machine(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineArn");
  require_arn(arn, ArnType::kStateMachine);
  // Like AWS: the state machine turns DELETING, refuses new executions, and
  // disappears once its running executions have ended; deleting an unknown
  // state machine succeeds.
  context.state_machines.remove(arn, context.executions.has_running(arn));
  context.tags.erase(arn);
  return nlohmann::json::object();
}

}  // namespace loveless::engine
