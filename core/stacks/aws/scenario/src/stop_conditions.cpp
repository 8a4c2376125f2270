#include "stop_conditions.hpp"

#include <cstdio>

namespace loveless::scenario::detail {

std::string alarm_name(const std::string& alarm) {
  static constexpr std::string_view kMarker = ":alarm:";
  if (!alarm.starts_with("arn:")) return alarm;
  const auto at = alarm.find(kMarker);
  return at == std::string::npos ? alarm : alarm.substr(at + kMarker.size());
}

StopConditionMonitor::StopConditionMonitor(AwsStopConditions conditions, AlarmReader read_alarms)
    : conditions_(std::move(conditions)), read_alarms_(std::move(read_alarms)) {}

StopConditionMonitor::~StopConditionMonitor() { stop(); }

std::vector<std::string> StopConditionMonitor::start() {
  if (conditions_.alarms.empty()) return {};
  std::vector<std::string> names;
  for (const auto& alarm : conditions_.alarms) names.push_back(alarm_name(alarm));
  const auto states = read_alarms_(names);
  std::vector<std::string> arns;
  for (const auto& name : names) {
    bool found = false;
    for (const auto& state : states) {
      if (state.name != name) continue;
      found = true;
      arns.push_back(state.arn);
      if (state.state == "ALARM") {
        trip("CloudWatch alarm " + name + " is in ALARM: " + state.reason);
      }
    }
    if (!found) {
      throw std::invalid_argument("CloudWatch alarm " + name +
                                  " does not exist (s.aws().stop_on_alarm names it)");
    }
  }
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, conditions_.alarm_poll_interval, [this] { return stopping_; })) {
      lock.unlock();
      check_alarms();
      lock.lock();
    }
  });
  return arns;
}

void StopConditionMonitor::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StopConditionMonitor::check_alarms() {
  std::vector<std::string> names;
  for (const auto& alarm : conditions_.alarms) names.push_back(alarm_name(alarm));
  try {
    for (const auto& state : read_alarms_(names)) {
      if (state.state == "ALARM") {
        trip("CloudWatch alarm " + state.name + " is in ALARM: " + state.reason);
      }
    }
  } catch (const std::exception&) {
    // A failed read is not an alarm; the next read decides (FIS does the same).
  }
}

void StopConditionMonitor::execution_closed(std::string_view status) {
  std::lock_guard lock(mutex_);
  ++closed_;
  if (status != "SUCCEEDED") ++failed_;
  const auto& bound = conditions_.max_failure_rate;
  if (!bound || closed_ < conditions_.failure_rate_min_executions || reason_) return;
  const double rate = static_cast<double>(failed_) / closed_;
  if (rate > *bound) {
    char line[160];
    std::snprintf(line, sizeof line,
                  "%d of %d closed executions failed (%.0f%%), above the %.0f%% stop condition",
                  failed_, closed_, rate * 100, *bound * 100);
    reason_ = line;
  }
}

void StopConditionMonitor::trip(std::string reason) {
  std::lock_guard lock(mutex_);
  if (!reason_) reason_ = std::move(reason);
}

std::optional<std::string> StopConditionMonitor::reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

}  // namespace loveless::scenario::detail
