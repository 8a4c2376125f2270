#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

/// The AWS SDKs' "standard" retry mode ("Retry behavior", AWS SDKs and Tools
/// Reference Guide, docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
namespace loveless::aws {

/// Whether an attempt's failure is worth another attempt, and of which kind.
enum class RetryKind {
  kNone,        ///< not retryable (a client error, a success)
  kThrottling,  ///< the service asked to slow down
  kTransient,   ///< a server error or a connection failure
  kTimeout,     ///< no answer in time (costs more quota)
};

/// Classifies an error by its AWS error code and HTTP status (0: no
/// answer). Throttling codes: Throttling, ThrottlingException,
/// ThrottledException, RequestThrottledException, TooManyRequestsException,
/// ProvisionedThroughputExceededException, TransactionInProgressException,
/// RequestLimitExceeded, BandwidthLimitExceeded, LimitExceededException,
/// RequestThrottled, SlowDown, PriorRequestNotComplete, EC2ThrottledException.
/// Transient: RequestTimeout, RequestTimeoutException (as timeouts),
/// InternalError, ServiceUnavailable, HTTP 500/502/503/504, and
/// `NetworkError` (status 0; `timed_out` marks a read timeout).
[[nodiscard]] RetryKind classify_error(std::string_view code, int http_status,
                                       bool timed_out = false);

/// The retry quota shared by the clients of one service (the SDKs share it
/// per client; we share it per `RetryOptions::quota`): 500 tokens, a retry
/// costs 5 (10 after a timeout), a success refunds what its retries cost, or
/// 1 when it needed none. A retry without enough tokens is not made.
///
/// Thread-safety: all members may be called concurrently.
class RetryQuota {
 public:
  static constexpr int kInitial = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutCost = 10;
  static constexpr int kNoRetryIncrement = 1;

  explicit RetryQuota(int capacity = kInitial) : capacity_(capacity), available_(capacity) {}
  /// Takes the cost of a retry of `kind`; false (nothing taken) when too few are left.
  bool acquire(RetryKind kind);
  /// After a success: gives back `cost` (what its retries took), or
  /// kNoRetryIncrement when 0, up to the capacity.
  void release(int cost);
  [[nodiscard]] int available() const;

 private:
  mutable std::mutex mutex_;
  int capacity_;
  int available_;
};

struct RetryOptions {
  /// Attempts in total, the first included; 0: AWS_MAX_ATTEMPTS, else 3.
  int max_attempts = 0;
  /// The cap on one delay (20 s in the standard mode).
  std::chrono::milliseconds max_backoff{20'000};
  /// Retry connection failures and timeouts (no answer), as the SDKs do.
  bool retry_network_errors = true;
  /// Shared quota; null: each client makes its own.
  std::shared_ptr<RetryQuota> quota;
  /// Uniform in [0, 1); default std::mt19937 seeded from std::random_device.
  std::function<double()> random;
  /// Waits between attempts; default std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
};

/// The delay after attempt number `attempt` (1-based) failed:
/// min(random * 2^attempt s, max_backoff), the standard mode's
/// min(b * r^i, MAX_BACKOFF) with b uniform in [0, 1) and r = 2.
[[nodiscard]] std::chrono::milliseconds retry_delay(int attempt, double random,
                                                    std::chrono::milliseconds max_backoff);

}  // namespace loveless::aws
