#pragma once

#include <chrono>
#include <functional>

#include "loveless/aws/json_client.hpp"

namespace loveless::worker {

/// Capped exponential backoff between retries of a failed call: 100 ms,
/// doubling, at most 5 s. A worker retries rather than crashes: the
/// orchestrator may be restarting, and a crash would be blamed on the system
/// under test.
class Backoff {
 public:
  /// The delay before the next retry; each call doubles the following one.
  [[nodiscard]] std::chrono::milliseconds next();
  void reset() { delay_ = kFirst; }

  /// Sleeps `next()` in short slices and returns early (false) once
  /// `give_up()` holds; true after the full delay.
  bool sleep(const std::function<bool()>& give_up);

 private:
  static constexpr std::chrono::milliseconds kFirst{100};
  static constexpr std::chrono::milliseconds kCap{5'000};
  std::chrono::milliseconds delay_ = kFirst;
};

/// A failure worth retrying: the transport failed, the service throttled, or
/// it answered with a 5xx.
[[nodiscard]] bool is_retryable(const aws::AwsError& error);

/// The task token no longer names an open task (timed out, answered
/// elsewhere, or from another orchestrator): reporting on it is pointless.
[[nodiscard]] bool is_task_gone(const aws::AwsError& error);

}  // namespace loveless::worker
