#include "loveless/aws_api/lambda_api.hpp"

#include <utility>

#include "loveless/aws/json_members.hpp"
#include "loveless/aws/sigv4.hpp"
#include "loveless/aws_api/wait.hpp"

namespace loveless::aws_api {
namespace {}  // namespace

std::string lambda_configuration_path(const std::string& function) {
  // An ARN's ':' must be encoded: the path segment is the whole name.
  return "/2015-03-31/functions/" + aws::uri_encode(function) + "/configuration";
}

LambdaConfiguration lambda_configuration_from_json(const nlohmann::json& body) {
  LambdaConfiguration result;
  result.function_name = aws::string_member(body, "FunctionName");
  result.function_arn = aws::string_member(body, "FunctionArn");
  result.state = aws::string_member(body, "State");
  result.last_update_status = aws::string_member(body, "LastUpdateStatus");
  result.last_update_status_reason = aws::string_member(body, "LastUpdateStatusReason");
  result.revision_id = aws::string_member(body, "RevisionId");
  if (const auto env = body.find("Environment"); env != body.end() && env->is_object()) {
    if (const auto vars = env->find("Variables"); vars != env->end() && vars->is_object()) {
      for (const auto& [name, value] : vars->items()) {
        if (value.is_string()) result.variables[name] = value.get<std::string>();
      }
    }
  }
  return result;
}

LambdaApi::LambdaApi(aws::ServiceClient client, Timing timing)
    : timing_(timing), client_(std::move(client)) {}

nlohmann::json LambdaApi::call(const std::string& method, const std::string& function,
                               const std::optional<nlohmann::json>& body) {
  std::lock_guard lock(mutex_);
  return client_.rest_call(method, lambda_configuration_path(function), {}, body);
}

LambdaConfiguration LambdaApi::get_configuration(const std::string& function) {
  return lambda_configuration_from_json(call("GET", function, std::nullopt));
}

std::optional<LambdaConfiguration> LambdaApi::update_environment(
    const std::string& function, const EnvironmentVariables& variables, AwsCallGuard& guard,
    const std::string& bound_function_arn, const std::string& revision_id) {
  nlohmann::json request = {{"Environment", {{"Variables", nlohmann::json(variables)}}}};
  if (!revision_id.empty()) request["RevisionId"] = revision_id;
  if (!guard.permit(
          {"lambda", "UpdateFunctionConfiguration", bound_function_arn, function, request})) {
    return std::nullopt;
  }
  for (int attempt = 0;; ++attempt) {
    try {
      return lambda_configuration_from_json(call("PUT", function, request));
    } catch (const aws::AwsError& error) {
      // Lambda refuses a change while the previous one is being applied; the
      // documented way out is to wait for LastUpdateStatus and try again.
      if (error.type() != "ResourceConflictException" || attempt >= kConflictRetries) throw;
    }
    // A failed earlier update must not stop this one (it may be the fix), so
    // only the end of InProgress is awaited here, not its success.
    settled_configuration(function, timing_.update_timeout, timing_.poll_interval);
  }
}

LambdaConfiguration LambdaApi::settled_configuration(const std::string& function,
                                                     std::chrono::milliseconds timeout,
                                                     std::chrono::milliseconds poll_interval) {
  LambdaConfiguration last;
  if (!poll_until(timeout, poll_interval, [&] {
        last = get_configuration(function);
        return last.last_update_status != "InProgress";
      })) {
    throw AwsWaitTimeout("Lambda function " + function + " still updating after " +
                         std::to_string(timeout.count()) + " ms (LastUpdateStatus " +
                         last.last_update_status + ")");
  }
  return last;
}

LambdaConfiguration LambdaApi::wait_until_updated(const std::string& function,
                                                  std::chrono::milliseconds timeout,
                                                  std::chrono::milliseconds poll_interval) {
  LambdaConfiguration last = settled_configuration(function, timeout, poll_interval);
  if (last.last_update_status == "Failed") {
    throw LambdaUpdateFailed("update of Lambda function " + function +
                             " failed: " + last.last_update_status_reason);
  }
  return last;
}

EnvironmentVariables LambdaApi::recycle_environments(const std::string& function,
                                                     const std::string& nonce, AwsCallGuard& guard,
                                                     const std::string& bound_function_arn) {
  // Reading after any update in progress gives a RevisionId that the update
  // below can lock on, so a change made meanwhile by someone else is refused
  // (PreconditionFailedException) instead of overwritten.
  const LambdaConfiguration before =
      guard.dry_run()
          ? get_configuration(function)
          : settled_configuration(function, timing_.update_timeout, timing_.poll_interval);
  EnvironmentVariables recycled = before.variables;
  recycled[kRecycleVariable] = nonce;
  if (update_environment(function, recycled, guard, bound_function_arn, before.revision_id)) {
    wait_until_updated(function, timing_.update_timeout, timing_.poll_interval);
  }
  return before.variables;
}

}  // namespace loveless::aws_api
