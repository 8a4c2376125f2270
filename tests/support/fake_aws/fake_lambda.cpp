// The fake's AWS Lambda: GetFunctionConfiguration and
// UpdateFunctionConfiguration (its Environment and RevisionId) as the AWS
// Lambda API Reference describes them, with the function states of "Lambda
// function states" (LastUpdateStatus InProgress -> Successful | Failed).
#include <regex>

#include "fake_aws/fake_shapes.hpp"
#include "fake_aws/fake_state.hpp"

namespace loveless::testing {
namespace {

constexpr ShapeChecker kShape{"InvalidParameterValueException"};

nlohmann::json configuration_json(const FakeFunction& function) {
  nlohmann::json json = {{"FunctionName", function.name},
                         {"FunctionArn", function.arn},
                         {"Runtime", "provided.al2023"},
                         {"State", "Active"},
                         {"LastUpdateStatus", function.last_update_status},
                         {"RevisionId", function.revision_id}};
  if (function.env) json["Environment"] = {{"Variables", *function.env}};
  if (!function.last_update_status_reason.empty()) {
    json["LastUpdateStatusReason"] = function.last_update_status_reason;
  }
  return json;
}

/// A function by name, full ARN or partial ARN (`<account>:function:<name>`).
FakeFunction& find_function(FakeAwsControlPlane::State& state, const std::string& function) {
  std::string name = function;
  if (const auto at = function.rfind(":function:"); at != std::string::npos) {
    name = function.substr(at + 10);
  }
  const auto it = state.functions.find(name);
  if (it == state.functions.end()) {
    throw FakeError(404, "ResourceNotFoundException",
                    "Function not found: " + state.arn("lambda", "function:" + name));
  }
  return it->second;
}

FakeReply update(FakeAwsControlPlane::State& state, FakeFunction& function,
                 const nlohmann::json& body, FakeClock::time_point now) {
  kShape.object(body, "The request body");
  std::optional<std::map<std::string, std::string>> env = function.env;
  if (const auto it = body.find("Environment"); it != body.end()) {
    kShape.object(*it, "Environment");
    kShape.string_map(*it, "Variables");
    // Lambda's documented pattern for variable names: [a-zA-Z]([a-zA-Z0-9_])+.
    static const std::regex kName("[a-zA-Z][a-zA-Z0-9_]+");
    std::map<std::string, std::string> variables;
    const nlohmann::json given = it->value("Variables", nlohmann::json::object());
    for (const auto& [key, value] : given.items()) {
      if (!std::regex_match(key, kName)) {
        kShape.fail("Environment variable name " + key + " does not match [a-zA-Z]([a-zA-Z0-9_])+");
      }
      variables[key] = value.get<std::string>();
    }
    env = std::move(variables);
  }
  const std::string revision = kShape.optional_string(body, "RevisionId");
  if (function.last_update_status == "InProgress") {
    throw FakeError(409, "ResourceConflictException",
                    "The operation cannot be performed at this time. An update is in progress "
                    "for resource: " +
                        function.arn);
  }
  if (!revision.empty() && revision != function.revision_id) {
    throw FakeError(412, "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the "
                    "GetFunction/GetAlias API to retrieve the latest Revision Id");
  }
  function.env = std::move(env);
  function.revision_id = state.new_id(8) + "-0000-4000-8000-" + state.new_id(12);
  function.last_update_status = "InProgress";
  function.last_update_status_reason.clear();
  function.update_done = now + state.options.lambda_update_time;
  function.failing_reason = std::exchange(function.fail_next_reason, std::nullopt);
  FakeReply reply;
  reply.body = configuration_json(function);
  return reply;
}

}  // namespace

void advance_lambda(FakeAwsControlPlane::State& state, FakeClock::time_point now) {
  for (auto& [name, function] : state.functions) {
    if (function.last_update_status != "InProgress" || function.update_done > now) continue;
    if (function.failing_reason) {
      function.last_update_status = "Failed";
      function.last_update_status_reason = *function.failing_reason;
      function.failing_reason.reset();
    } else {
      function.last_update_status = "Successful";
      ++function.generations;
    }
  }
}

FakeReply handle_lambda(FakeAwsControlPlane::State& state, const std::string& method,
                        const std::string& function, const nlohmann::json& body,
                        FakeClock::time_point now) {
  FakeFunction& found = find_function(state, function);
  if (method == "GET") {
    FakeReply reply;
    reply.body = configuration_json(found);
    return reply;
  }
  return update(state, found, body, now);
}

}  // namespace loveless::testing
