#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/aws/credentials.hpp"
#include "loveless/aws/retry.hpp"

namespace loveless::aws {

/// An error answer from the service (`__type` and `message`), or a transport
/// failure (`type()` is `NetworkError`, `http_status()` 0).
class AwsError : public std::runtime_error {
 public:
  AwsError(std::string type, std::string message, int http_status)
      : std::runtime_error(type + ": " + message),
        type_(std::move(type)),
        message_(std::move(message)),
        http_status_(http_status) {}
  /// The bare error name: the part of `__type` after `#` and before `:`.
  [[nodiscard]] const std::string& type() const noexcept { return type_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] int http_status() const noexcept { return http_status_; }

 private:
  std::string type_;
  std::string message_;
  int http_status_;
};

struct JsonClientOptions {
  /// `http://host:port` of the service (e.g. `loveless serve`'s URL), or
  /// `https://states.<region>.amazonaws.com` for AWS Step Functions.
  std::string endpoint;
  /// The region requests are signed for (needed when `credentials` is set).
  std::string region;
  /// Null: requests go unsigned, as the local engine needs them.
  std::shared_ptr<CredentialsProvider> credentials;
  /// The SigV4 service name.
  std::string signing_name = "states";
  /// Error answers the standard retry mode retries (throttling, 5xx) are
  /// retried as the SDKs do. Connection failures and timeouts are not
  /// (`retry_network_errors` false): callers of this client (the worker SDK,
  /// the runner) have their own loops for an engine that went away, and a
  /// GetActivityTask long poll must not be repeated silently.
  RetryOptions retry;
  bool retry_network_errors = false;
  /// A PEM CA file for https; empty: AWS_CA_BUNDLE, else the system store.
  std::string ca_bundle;
  /// The X-Amz-Target prefix: `AWSStepFunctions`.
  std::string target_prefix = "AWSStepFunctions";
  std::chrono::milliseconds connect_timeout{5'000};
  /// Above GetActivityTask's 60 s long poll, as the AWS SDKs configure it.
  std::chrono::milliseconds read_timeout{70'000};
};

/// A client for AWS JSON-protocol services (awsJson1_0), used for Step
/// Functions, signed with SigV4 when given credentials. It keeps one
/// persistent connection. Built on `ServiceClient`.
///
/// Thread-safety: one call at a time per client; give each thread its own client.
class JsonClient {
 public:
  explicit JsonClient(JsonClientOptions options);
  ~JsonClient();
  JsonClient(JsonClient&&) noexcept;
  JsonClient& operator=(JsonClient&&) noexcept;

  /// POSTs `request` as operation `operation` and returns the parsed response
  /// body (`{}` for an empty body). Throws `AwsError` on an error answer or a
  /// network failure, `CredentialsError` when signing credentials cannot be had.
  nlohmann::json call(std::string_view operation, const nlohmann::json& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::aws
