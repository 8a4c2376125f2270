#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/aws/credentials.hpp"
#include "loveless/aws/json_client.hpp"
#include "loveless/aws/retry.hpp"

namespace loveless::aws {

/// The names of one AWS service: how it signs, its host name prefix, and the
/// suffix of its AWS_ENDPOINT_URL_<env_id> variable ("Service-specific
/// endpoints", AWS SDKs and Tools Reference Guide).
struct ServiceEndpoint {
  std::string signing_name;     ///< "states"
  std::string endpoint_prefix;  ///< "states" -> states.<region>.amazonaws.com
  std::string env_id;           ///< "SFN" -> AWS_ENDPOINT_URL_SFN
};

/// The names of a service as compile-time constants (no static initialiser
/// that could throw), converting to `ServiceEndpoint`.
struct ServiceNames {
  std::string_view signing_name;
  std::string_view endpoint_prefix;
  std::string_view env_id;
  // NOLINTNEXTLINE(google-explicit-constructor): the constants stand for endpoints.
  operator ServiceEndpoint() const {
    return {std::string(signing_name), std::string(endpoint_prefix), std::string(env_id)};
  }
};

inline constexpr ServiceNames kStepFunctions{"states", "states", "SFN"};
inline constexpr ServiceNames kEcs{"ecs", "ecs", "ECS"};
inline constexpr ServiceNames kLambda{"lambda", "lambda", "LAMBDA"};
inline constexpr ServiceNames kFis{"fis", "fis", "FIS"};
inline constexpr ServiceNames kCloudWatch{"monitoring", "monitoring", "CLOUDWATCH"};

struct ServiceClientOptions {
  ServiceEndpoint service;
  /// The region to sign for and to build the default endpoint with.
  std::string region;
  /// `https://host[:port]` or `http://host:port`; empty: AWS_ENDPOINT_URL_<env_id>,
  /// then AWS_ENDPOINT_URL, then https://<endpoint_prefix>.<region>.amazonaws.com.
  std::string endpoint;
  /// Null: requests go unsigned (the local engine).
  std::shared_ptr<CredentialsProvider> credentials;
  RetryOptions retry;
  std::chrono::milliseconds connect_timeout{5'000};
  /// Bounds one attempt, from sending to the end of the answer.
  std::chrono::milliseconds read_timeout{70'000};
  /// A CA file (PEM) trusted instead of the system store for https; empty:
  /// AWS_CA_BUNDLE, else the system store.
  std::string ca_bundle;
  /// Environment lookup for the endpoint, AWS_MAX_ATTEMPTS and AWS_CA_BUNDLE.
  EnvLookup env = process_environment();
  /// The signing time.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
};

/// The endpoint `options` resolves to (see `ServiceClientOptions::endpoint`).
[[nodiscard]] std::string resolve_endpoint(const ServiceClientOptions& options);

/// Signed calls to one AWS service, with the standard retry mode
/// (`retry.hpp`): awsJson (Step Functions, ECS, CloudWatch) and restJson1
/// (Lambda, FIS).
///
/// Errors: an error answer throws `AwsError(type, message, status)` with
/// `type` from the body's `__type` (the bare name after `#`, before `:`),
/// the `x-amzn-ErrorType` header (before `:`) or the body's `code`/`Code`,
/// else `HttpStatus<n>`; `message` from `message`/`Message`. No answer
/// throws `AwsError("NetworkError", "<endpoint>: <what failed>", 0)`.
/// Credentials that cannot be had throw `CredentialsError`.
///
/// Thread-safety: one call at a time per client; give each thread its own
/// client (they may share the credentials provider and the retry quota).
class ServiceClient {
 public:
  explicit ServiceClient(ServiceClientOptions options);
  ~ServiceClient();
  ServiceClient(ServiceClient&&) noexcept;
  ServiceClient& operator=(ServiceClient&&) noexcept;

  /// awsJson: `POST /` with `X-Amz-Target: <target>` (e.g.
  /// "AmazonEC2ContainerServiceV20141113.StopTask") and Content-Type
  /// `application/x-amz-json-<json_version>` ("1.0" or "1.1"). Returns the
  /// parsed body (`{}` when empty).
  nlohmann::json json_call(std::string_view target, std::string_view json_version,
                           const nlohmann::json& body);

  /// restJson1: `method` on `path` (already URI-encoded, e.g.
  /// "/2015-03-31/functions/my-fn/configuration") with `query` (unencoded
  /// names and values) and, when given, a JSON body sent as
  /// `application/json`. Returns the parsed body (`{}` when empty).
  nlohmann::json rest_call(std::string_view method, std::string_view path,
                           const std::vector<std::pair<std::string, std::string>>& query,
                           const std::optional<nlohmann::json>& body);

  /// The resolved endpoint.
  [[nodiscard]] const std::string& endpoint() const;
  /// Attempts made by the last call (1 when it needed no retry).
  [[nodiscard]] int last_attempts() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::aws
