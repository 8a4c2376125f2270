#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "loveless/asl/clock.hpp"

namespace loveless::engine {

/// RedriveExecution's `clientToken` idempotency: a token that redrove an
/// execution answers again with that redrive's date, without redriving, for
/// the execution's last 10 tokens and for 15 minutes after first use
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html).
///
/// Thread-safety: every method may be called from any thread; its lock is a
/// leaf (callers may hold an execution's lock).
class RedriveTokens {
 public:
  static constexpr std::size_t kTokensPerExecution = 10;
  static constexpr std::chrono::minutes kLifetime{15};

  /// The redrive date `token` answered for `execution_arn`, if it is still remembered at `now`.
  std::optional<asl::TimePoint> find(const std::string& execution_arn, const std::string& token,
                                     asl::TimePoint now);
  /// Remembers that `token` redrove `execution_arn` at `redrive_date`.
  void remember(const std::string& execution_arn, const std::string& token,
                asl::TimePoint redrive_date);

 private:
  struct Entry {
    std::string token;
    asl::TimePoint redrive_date{};
  };
  std::mutex mutex_;
  /// Per execution, oldest first.
  std::map<std::string, std::deque<Entry>> entries_;
};

}  // namespace loveless::engine
