#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "loveless/aws_api/cloudwatch_api.hpp"
#include "loveless/scenario/aws_bindings.hpp"

namespace loveless::scenario::detail {

/// Watches a run's stop conditions (AwsStopConditions), as AWS FIS watches an
/// experiment's: a named CloudWatch alarm in ALARM, read every
/// `alarm_poll_interval`, or a failure rate above the bound among closed
/// executions. The first condition met is kept as the reason; it never clears.
///
/// Thread-safety: every method may be called from any thread.
class StopConditionMonitor {
 public:
  using AlarmReader =
      std::function<std::vector<aws_api::AlarmState>(const std::vector<std::string>& names)>;

  StopConditionMonitor(AwsStopConditions conditions, AlarmReader read_alarms);
  ~StopConditionMonitor();
  StopConditionMonitor(const StopConditionMonitor&) = delete;
  StopConditionMonitor& operator=(const StopConditionMonitor&) = delete;

  /// Reads the alarms once (throws what the reader throws, e.g. an unknown
  /// alarm) and then every interval on a thread. Returns the alarms' ARNs.
  std::vector<std::string> start();
  void stop() noexcept;
  /// An execution closed with `status` (SUCCEEDED, FAILED, TIMED_OUT, ABORTED).
  void execution_closed(std::string_view status);
  [[nodiscard]] std::optional<std::string> reason() const;

 private:
  void check_alarms();
  void trip(std::string reason);

  AwsStopConditions conditions_;
  AlarmReader read_alarms_;
  mutable std::mutex mutex_;
  std::optional<std::string> reason_;
  int closed_ = 0;
  int failed_ = 0;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

/// The alarm name of `alarm` given as a name or as a CloudWatch alarm ARN
/// (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`).
std::string alarm_name(const std::string& alarm);

}  // namespace loveless::scenario::detail
