#include "loveless/aws_api/cloudwatch_api.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "loveless/aws/json_members.hpp"

namespace loveless::aws_api {
namespace {

void collect(const nlohmann::json& alarms, std::vector<AlarmState>& out) {
  if (!alarms.is_array()) return;
  for (const auto& alarm : alarms) {
    out.push_back({aws::string_member(alarm, "AlarmName"), aws::string_member(alarm, "AlarmArn"),
                   aws::string_member(alarm, "StateValue"),
                   aws::string_member(alarm, "StateReason")});
  }
}

}  // namespace

CloudWatchApi::CloudWatchApi(aws::ServiceClient client) : client_(std::move(client)) {}

std::vector<AlarmState> CloudWatchApi::alarm_states(const std::vector<std::string>& names) {
  std::vector<AlarmState> states;
  const std::string target = std::string(kTargetPrefix) + ".DescribeAlarms";
  for (std::size_t begin = 0; begin < names.size(); begin += kNamesPerCall) {
    const std::size_t end = std::min(names.size(), begin + kNamesPerCall);
    nlohmann::json request = {
        {"AlarmNames", std::vector<std::string>(names.begin() + static_cast<std::ptrdiff_t>(begin),
                                                names.begin() + static_cast<std::ptrdiff_t>(end))},
        {"AlarmTypes", {"MetricAlarm", "CompositeAlarm"}}};
    while (true) {
      nlohmann::json page;
      {
        std::lock_guard lock(mutex_);
        page = client_.json_call(target, "1.0", request);
      }
      collect(page.value("MetricAlarms", nlohmann::json::array()), states);
      collect(page.value("CompositeAlarms", nlohmann::json::array()), states);
      const std::string next = aws::string_member(page, "NextToken");
      if (next.empty()) break;
      request["NextToken"] = next;
    }
  }
  return states;
}

}  // namespace loveless::aws_api
