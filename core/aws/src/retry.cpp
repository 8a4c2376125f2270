#include "loveless/aws/retry.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace loveless::aws {

RetryKind classify_error(std::string_view code, int http_status, bool timed_out) {
  // The standard mode's lists ("Retry behavior", AWS SDKs and Tools
  // Reference Guide; the same codes as botocore's and smithy's standard
  // retry strategies).
  static constexpr std::array<std::string_view, 14> kThrottling = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "RequestThrottled",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException",
  };
  static constexpr std::array<std::string_view, 2> kTimeouts = {"RequestTimeout",
                                                                "RequestTimeoutException"};
  static constexpr std::array<std::string_view, 2> kTransient = {"InternalError",
                                                                 "ServiceUnavailable"};
  const auto in = [&](const auto& list) {
    return std::find(list.begin(), list.end(), code) != list.end();
  };
  if (in(kThrottling)) return RetryKind::kThrottling;
  if (in(kTimeouts)) return RetryKind::kTimeout;
  if (http_status == 0 && code == "NetworkError") {
    return timed_out ? RetryKind::kTimeout : RetryKind::kTransient;
  }
  if (in(kTransient)) return RetryKind::kTransient;
  if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return RetryKind::kTransient;
  }
  return RetryKind::kNone;
}

bool RetryQuota::acquire(RetryKind kind) {
  const int cost = kind == RetryKind::kTimeout ? kTimeoutCost : kRetryCost;
  std::lock_guard lock(mutex_);
  if (available_ < cost) return false;
  available_ -= cost;
  return true;
}

void RetryQuota::release(int cost) {
  std::lock_guard lock(mutex_);
  available_ = std::min(capacity_, available_ + (cost > 0 ? cost : kNoRetryIncrement));
}

int RetryQuota::available() const {
  std::lock_guard lock(mutex_);
  return available_;
}

std::chrono::milliseconds retry_delay(int attempt, double random,
                                      std::chrono::milliseconds max_backoff) {
  const double exponent = std::min(attempt, 30);
  const double milliseconds = std::clamp(random, 0.0, 1.0) * std::pow(2.0, exponent) * 1000.0;
  return std::min(max_backoff,
                  std::chrono::milliseconds(static_cast<std::int64_t>(std::floor(milliseconds))));
}

}  // namespace loveless::aws
