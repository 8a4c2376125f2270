#pragma once

#include <string>
#include <variant>

#include "loveless/asl/execution.hpp"

namespace loveless::engine {

/// A Lambda Task state's request, resolved to the function it invokes.
struct LambdaCall {
  std::string function_name;
  /// `Lambda-Runtime-Invoked-Function-Arn`: the full ARN, with the qualifier
  /// when the caller named one.
  std::string invoked_arn;
  /// The event as JSON text.
  std::string event;
  /// `LogType: Tail` in a lambda:invoke's Parameters: the result carries LogResult.
  bool log_tail = false;
};

/// Why a request names no function this engine can run.
struct LambdaCallError {
  std::string error;
  std::string cause;
};

/// Resolves a Task state's request for a Lambda resource (`kLambdaArn`: the
/// resource is the function ARN and the effective input is the event;
/// `kLambdaInvoke`: `FunctionName` (name, partial or full ARN, optional
/// qualifier) and `Payload` from the evaluated Parameters, where an absent
/// Payload is the empty event `{}` as Lambda's Invoke sends it). A function in
/// another region or account, or a malformed FunctionName, is
/// `Lambda.ResourceNotFoundException` / `Lambda.InvalidParameterValueException`.
/// Does not check that the function is registered.
std::variant<LambdaCall, LambdaCallError> resolve_lambda_call(const asl::TaskRequest& request,
                                                              const std::string& region,
                                                              const std::string& account_id);

/// The failure of an invocation of a function that is not registered:
/// `Lambda.ResourceNotFoundException` with Lambda's 404 message.
LambdaCallError function_not_found(const std::string& function_arn);

}  // namespace loveless::engine
