#include <string>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "operations.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "tag_request.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxResourceArnLength = 256;

// A state machine or an activity that exists. Other Step Functions ARNs (a
// version, an execution) answer ResourceNotFound as AWS does for a version
// (test_sfn_api_tagging recordings); text that is no Step Functions ARN
// answers InvalidArn.
std::string require_taggable(ServiceContext& context, const RequestReader& reader) {
  auto arn = reader.required_string("resourceArn", 1, kMaxResourceArnLength);
  const auto parsed = parse_arn(arn);
  const bool exists =
      parsed && ((parsed->type == ArnType::kStateMachine && context.state_machines.find(arn)) ||
                 (parsed->type == ArnType::kActivity && context.activities.exists(arn)));
  if (exists) return arn;
  if (parsed || (arn.starts_with("arn:") && arn.find(":states:") != std::string::npos)) {
    throw ServiceError("ResourceNotFound", "Resource not found: '" + arn + "'");
  }
  throw_invalid_arn(arn);
}

}  // namespace

nlohmann::json tag_resource(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  // The request is checked whole before the resource is looked up, as AWS does.
  (void)reader.required_member("tags");
  const auto tags = read_tags(reader);
  const auto arn = require_taggable(context, reader);
  context.tags.add(arn, tags);
  return nlohmann::json::object();
}

nlohmann::json untag_resource(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto keys = read_tag_keys(reader);
  const auto arn = require_taggable(context, reader);
  context.tags.remove(arn, keys);
  return nlohmann::json::object();
}

nlohmann::json list_tags_for_resource(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = require_taggable(context, reader);
  nlohmann::json tags = nlohmann::json::array();
  for (const auto& [key, value] : context.tags.list(arn)) {
    tags.push_back({{"key", key}, {"value", value}});
  }
  return {{"tags", std::move(tags)}};
}

}  // namespace loveless::engine
