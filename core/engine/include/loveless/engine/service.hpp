#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/engine/service_error.hpp"

namespace loveless::engine {

/// Configuration of the local Step Functions service.
struct ServiceOptions {
  /// Used in every ARN this service mints: `arn:aws:states:<region>:<account>:...`.
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  /// Longest a GetActivityTask call waits for a task (AWS: 60 s). Tests shorten it.
  std::chrono::milliseconds activity_poll_timeout{60'000};
  /// Seed for task tokens, jitter and intrinsics; 0 draws one from std::random_device.
  std::uint64_t seed = 0;
};

/// The local AWS Step Functions service: state machines, executions, activities
/// and their task queues, timers. Transport-agnostic: `HttpServer` puts it on
/// the awsJson1_0 wire protocol; tests may call `invoke` directly.
///
/// Thread-safety: every method may be called from any thread concurrently;
/// GetActivityTask blocks the calling thread for up to the poll timeout.
class StepFunctionsService {
 public:
  explicit StepFunctionsService(ServiceOptions options = {});
  ~StepFunctionsService();
  StepFunctionsService(const StepFunctionsService&) = delete;
  StepFunctionsService& operator=(const StepFunctionsService&) = delete;

  /// Performs one API operation (`"StartExecution"`, `"GetActivityTask"`, ...)
  /// with the request body as the API reference gives it and returns the
  /// response body. Throws `ServiceError` with the AWS error name and message
  /// (`UnknownOperationException` for an unknown operation,
  /// `ValidationException` for a malformed request).
  nlohmann::json invoke(std::string_view operation, const nlohmann::json& request);

  /// Wakes every blocked GetActivityTask (they return no task) and stops timers;
  /// called before the transport shuts down.
  void shutdown();

  [[nodiscard]] const ServiceOptions& options() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::engine
