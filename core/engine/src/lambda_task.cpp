#include "lambda_task.hpp"

#include <algorithm>
#include <mutex>
#include <random>

#include "function_reference.hpp"
#include "lambda_errors.hpp"
#include "lambda_invoke_response.hpp"
#include "uuid.hpp"

namespace loveless::engine {
namespace {

// Invalid UTF-8 in a string (which the interpreter's inputs may carry) must
// not throw on the way to the function.
std::string to_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A fresh UUID for the request id Lambda's error names (not reproducible
/// from the seed: AWS's is not either, and nothing else depends on it).
std::string random_request_id() {
  static std::mutex mutex;
  static std::mt19937_64 generator{std::random_device{}()};
  std::lock_guard lock(mutex);
  const auto high = generator();
  return random_uuid(high, generator());
}

}  // namespace

LambdaCallError function_not_found(const std::string& function_arn) {
  const auto request_id = random_request_id();
  // As recorded on AWS: the unqualified ARN gets `:$LATEST`.
  const bool qualified = std::count(function_arn.begin(), function_arn.end(), ':') > 6;
  return {lambda_errors::kResourceNotFound,
          "Function not found: " + function_arn + (qualified ? "" : ":$LATEST") +
              " (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
              "Request ID: " +
              request_id + "; Proxy: null)"};
}

std::variant<LambdaCall, LambdaCallError> resolve_lambda_call(const asl::TaskRequest& request,
                                                              const std::string& region,
                                                              const std::string& account_id) {
  std::string function_name;
  std::string event;
  bool log_tail = false;
  if (request.kind == asl::ResourceKind::kLambdaInvoke) {
    const auto& input = request.input;
    if (!input.is_object() || !input.contains("FunctionName") ||
        !input["FunctionName"].is_string()) {
      return LambdaCallError{"Lambda.InvalidParameterValueException",
                             "The Parameters of a lambda:invoke task must give FunctionName as a "
                             "string"};
    }
    function_name = input["FunctionName"].get<std::string>();
    event = invoke_event(input.contains("Payload") ? &input["Payload"] : nullptr);
    log_tail = input.contains("LogType") && input["LogType"] == "Tail";
  } else {
    function_name = request.resource;
    event = to_text(request.input);
  }
  const auto reference = parse_function_reference(function_name);
  if (!reference) {
    return LambdaCallError{"Lambda.InvalidParameterValueException",
                           "1 validation error detected: Value '" + function_name +
                               "' at 'functionName' failed to satisfy constraint"};
  }
  auto arn = function_arn(reference->region.empty() ? region : reference->region,
                          reference->account_id.empty() ? account_id : reference->account_id,
                          reference->name);
  if ((!reference->region.empty() && reference->region != region) ||
      (!reference->account_id.empty() && reference->account_id != account_id)) {
    return function_not_found(arn);
  }
  if (!reference->qualifier.empty()) arn += ":" + reference->qualifier;
  return LambdaCall{reference->name, std::move(arn), std::move(event), log_tail};
}

}  // namespace loveless::engine
