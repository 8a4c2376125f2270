#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace loveless::worker {

/// One invocation from `GET /runtime/invocation/next`.
struct Invocation {
  /// Lambda-Runtime-Aws-Request-Id.
  std::string request_id;
  /// Lambda-Runtime-Deadline-Ms (epoch milliseconds), when given.
  std::optional<std::chrono::system_clock::time_point> deadline;
  /// The event; null when the body was not JSON (see `event_error`).
  nlohmann::json event;
  /// Why the body could not be parsed, empty when it could.
  std::string event_error;
};

/// The HTTP side of the Lambda Runtime API
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html), version
/// 2018-06-01, over one keep-alive connection.
///
/// Thread-safety: one call at a time.
class RuntimeApiClient {
 public:
  /// `runtime_api` is AWS_LAMBDA_RUNTIME_API: `host:port`.
  explicit RuntimeApiClient(const std::string& runtime_api);
  ~RuntimeApiClient();
  RuntimeApiClient(const RuntimeApiClient&) = delete;
  RuntimeApiClient& operator=(const RuntimeApiClient&) = delete;

  /// Blocks until the next invocation (the request has no useful timeout:
  /// Lambda answers when there is work). Nullopt after a failure, which is
  /// logged; the caller backs off and asks again.
  [[nodiscard]] std::optional<Invocation> next();

  /// `POST /runtime/invocation/{id}/response` with the JSON output. False
  /// (logged) when the Runtime API did not accept it.
  bool post_response(const std::string& request_id, const nlohmann::json& output);
  /// `POST /runtime/invocation/{id}/error` with `{errorMessage, errorType,
  /// stackTrace: []}` and `Lambda-Runtime-Function-Error-Type: <errorType>`.
  bool post_error(const std::string& request_id, const std::string& error_type,
                  const std::string& error_message);
  /// `POST /runtime/init/error`, same body and header.
  bool post_init_error(const std::string& error_type, const std::string& error_message);

 private:
  bool post(const std::string& path, const std::string& body, const std::string& error_type);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::worker
