#pragma once

#include <string>
#include <string_view>

// Error names a Task state sees for a Lambda invocation that did not return a
// result, as Step Functions reports them (see docs/engine.md, "Lambda").
namespace loveless::engine::lambda_errors {

/// No function of that name: Lambda's Invoke answers 404 ResourceNotFoundException.
inline constexpr const char* kResourceNotFound = "Lambda.ResourceNotFoundException";
/// The function failed without an error type: a timeout, a crash, an error
/// payload without `errorType` (aws-semantics.md, Lambda Runtime API).
inline constexpr const char* kUnknown = "Lambda.Unknown";
/// Lambda could not start an execution environment.
inline constexpr const char* kServiceException = "Lambda.ServiceException";

/// The cause Step Functions records with `Lambda.Unknown`: the payload Lambda
/// returned, behind a fixed sentence.
inline std::string unknown_cause(std::string_view payload) {
  return "The cause could not be determined because Lambda did not return an error type. "
         "Returned payload: " +
         std::string(payload);
}

}  // namespace loveless::engine::lambda_errors
