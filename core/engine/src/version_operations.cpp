// PublishStateMachineVersion, ListStateMachineVersions and
// DeleteStateMachineVersion, as the test_sfn_api_versioning recordings show
// them.

#include <string>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "state_machine_versions.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxDescriptionLength = 256;

}  // namespace

nlohmann::json publish_state_machine_version(ServiceContext& context,
                                             const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineArn");
  const auto revision_id = reader.optional_string("revisionId");
  const auto description =
      reader.optional_string("description", 0, kMaxDescriptionLength).value_or("");
  require_arn(arn, ArnType::kStateMachine);
  purge_deleted_state_machines(context);
  const auto version = publish_version_of(context, arn, revision_id, description);
  return {{"stateMachineVersionArn", version_arn(arn, version.number)},
          {"creationDate", asl::to_epoch_seconds(version.creation_date)}};
}

nlohmann::json list_state_machine_versions(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineArn");
  const auto page_size = static_cast<std::size_t>(reader.page_size());
  const auto token = reader.next_token();
  const auto record = require_state_machine(context, arn);
  // Newest first; the cursor is the last number returned (numbers only grow).
  const std::uint64_t before =
      token ? decode_page_number(*token, "stateMachineVersions", arn) : UINT64_MAX;
  nlohmann::json response = {{"stateMachineVersions", nlohmann::json::array()}};
  std::size_t taken = 0;
  for (auto it = record.versions.rbegin(); it != record.versions.rend(); ++it) {
    const auto& version = it->second;
    if (version.number >= before) continue;
    if (taken == page_size) {
      response["nextToken"] =
          encode_page_token("stateMachineVersions", arn, std::to_string(version.number + 1));
      break;
    }
    ++taken;
    response["stateMachineVersions"].push_back(
        {{"stateMachineVersionArn", version_arn(arn, version.number)},
         {"creationDate", asl::to_epoch_seconds(version.creation_date)}});
  }
  return response;
}

nlohmann::json delete_state_machine_version(ServiceContext& context,
                                            const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineVersionArn");
  const auto parsed = require_arn(arn, ArnType::kStateMachineVersion);
  const auto number = std::stoull(parsed.qualifier);
  // Deleting a version that does not exist succeeds (delete_version_resp_after_del).
  context.state_machines.modify(parsed.state_machine_arn(), [&](StateMachineRecord& record) {
    if (!record.versions.contains(number)) return;
    const auto aliases = aliases_routing_to(record, number);
    if (!aliases.empty()) {
      throw ServiceError("ConflictException",
                         "Version to be deleted must not be referenced by an alias. Current list "
                         "of aliases referencing this version: " +
                             bracketed_list(aliases));
    }
    record.versions.erase(number);
  });
  return nlohmann::json::object();
}

}  // namespace loveless::engine
