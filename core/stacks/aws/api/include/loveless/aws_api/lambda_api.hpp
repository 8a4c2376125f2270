#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "loveless/aws/service_client.hpp"
#include "loveless/aws_api/call_guard.hpp"

/// The AWS Lambda calls of the AWS stack (restJson1, signing name `lambda`),
/// following the AWS Lambda API Reference
/// (docs.aws.amazon.com/lambda/latest/api/): GetFunctionConfiguration and
/// UpdateFunctionConfiguration on `/2015-03-31/functions/{FunctionName}/configuration`.
namespace loveless::aws_api {

/// Environment variables, name to value (Lambda's `Environment.Variables`).
using EnvironmentVariables = std::map<std::string, std::string>;

/// The parts of a FunctionConfiguration the stack uses.
struct LambdaConfiguration {
  std::string function_name;
  std::string function_arn;
  EnvironmentVariables variables;  ///< empty when the function has no `Environment`
  std::string state;               ///< Pending, Active, Inactive, Failed
  std::string last_update_status;  ///< InProgress, Successful, Failed
  std::string last_update_status_reason;
  std::string revision_id;  ///< changes with every update; sent back for optimistic locking
};

/// An update of a function ended with LastUpdateStatus Failed.
class LambdaUpdateFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Typed Lambda calls over one `ServiceClient` (built with `aws::kLambda`).
///
/// Errors: `aws::AwsError` with Lambda's `x-amzn-ErrorType`:
/// ResourceNotFoundException (404), ResourceConflictException (409, an
/// update is in progress), PreconditionFailedException (412, the RevisionId
/// is stale), InvalidParameterValueException (400); waits throw
/// `AwsWaitTimeout` or `LambdaUpdateFailed`; the guard throws `ResourceNotAllowed`.
///
/// Thread-safety: every member may be called from any thread; calls go out
/// one at a time over the one client.
class LambdaApi {
 public:
  /// The variable `recycle_environments` sets.
  static constexpr const char* kRecycleVariable = "LOVELESS_RECYCLE";
  /// How many times an update is tried again after ResourceConflictException
  /// (another update still in progress) before the error is passed on.
  static constexpr int kConflictRetries = 5;

  struct Timing {
    /// Bounds each wait for an update to finish (a function in a VPC can take
    /// a minute, the Lambda docs say).
    std::chrono::milliseconds update_timeout{std::chrono::minutes(3)};
    std::chrono::milliseconds poll_interval{std::chrono::seconds(1)};
  };

  explicit LambdaApi(aws::ServiceClient client) : LambdaApi(std::move(client), Timing{}) {}
  LambdaApi(aws::ServiceClient client, Timing timing);

  /// GET /2015-03-31/functions/{function}/configuration; `function` is a
  /// name, partial ARN or ARN (URI-encoded here). (GetFunctionConfiguration.)
  LambdaConfiguration get_configuration(const std::string& function);

  /// PUT /2015-03-31/functions/{function}/configuration with
  /// `{"Environment": {"Variables": variables}, "RevisionId": ...}` through
  /// `guard` (bound resource `bound_function_arn`). Lambda replaces the whole
  /// map, so `variables` must hold every variable the function keeps.
  /// `revision_id` (optional) makes the update fail with
  /// PreconditionFailedException when the function changed since it was
  /// read. On ResourceConflictException (an update in progress) waits for it
  /// and tries again, up to `kConflictRetries` times, with the same
  /// RevisionId. Returns the configuration Lambda answers (LastUpdateStatus
  /// InProgress), or nullopt in a dry run (nothing sent).
  /// (UpdateFunctionConfiguration.)
  std::optional<LambdaConfiguration> update_environment(const std::string& function,
                                                        const EnvironmentVariables& variables,
                                                        AwsCallGuard& guard,
                                                        const std::string& bound_function_arn,
                                                        const std::string& revision_id = {});

  /// Polls GetFunctionConfiguration until LastUpdateStatus is no longer
  /// InProgress (the `function-updated-v2` waiter). Successful: returns the
  /// configuration; Failed: throws `LambdaUpdateFailed` with
  /// LastUpdateStatusReason; throws `AwsWaitTimeout` after `timeout`.
  LambdaConfiguration wait_until_updated(const std::string& function,
                                         std::chrono::milliseconds timeout,
                                         std::chrono::milliseconds poll_interval);

  /// Recycles the function's execution environments: sets
  /// `LOVELESS_RECYCLE=<nonce>` keeping every other variable, and waits until
  /// the update is done (LastUpdateStatus Successful). Why this recycles:
  /// environment variables are fixed when an execution environment is
  /// initialised ("Lambda execution environment lifecycle", Init phase), and
  /// once the update is done "the function is processing events with the new
  /// configuration" (UpdateFunctionConfiguration, AWS Lambda API Reference),
  /// so no later invocation can run in an environment from before: /tmp and
  /// memory of the old ones are gone for the function's code. (We found no
  /// AWS sentence saying "new environments" outright; this was not verified
  /// against live AWS.) Returns the variables from before (restore them with
  /// `update_environment`). In a dry run only the configuration is read and
  /// the update printed.
  EnvironmentVariables recycle_environments(const std::string& function, const std::string& nonce,
                                            AwsCallGuard& guard,
                                            const std::string& bound_function_arn);

 private:
  /// Polls until LastUpdateStatus is not InProgress; returns the
  /// configuration whatever the outcome (Successful or Failed).
  LambdaConfiguration settled_configuration(const std::string& function,
                                            std::chrono::milliseconds timeout,
                                            std::chrono::milliseconds poll_interval);
  nlohmann::json call(const std::string& method, const std::string& function,
                      const std::optional<nlohmann::json>& body);

  Timing timing_;
  std::mutex mutex_;
  aws::ServiceClient client_;
};

/// The path of a function's configuration: `/2015-03-31/functions/<URI-encoded
/// name>/configuration`.
[[nodiscard]] std::string lambda_configuration_path(const std::string& function);
/// A FunctionConfiguration object of the API as a `LambdaConfiguration`.
[[nodiscard]] LambdaConfiguration lambda_configuration_from_json(const nlohmann::json& body);

}  // namespace loveless::aws_api
