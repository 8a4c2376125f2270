// The fake's Amazon CloudWatch: DescribeAlarms over AWS JSON 1.0 (Amazon
// CloudWatch API Reference), for alarms whose state a test sets.
#include "fake_aws/fake_shapes.hpp"
#include "fake_aws/fake_state.hpp"

namespace loveless::testing {
namespace {

constexpr ShapeChecker kShape{"InvalidParameterValue"};

}  // namespace

FakeReply handle_cloudwatch(FakeAwsControlPlane::State& state, const std::string& operation,
                            const nlohmann::json& body) {
  if (operation != "DescribeAlarms") {
    throw FakeError(400, "UnknownOperationException", "Unknown operation " + operation);
  }
  kShape.object(body, "The request body");
  const nlohmann::json names = kShape.string_array(body, "AlarmNames");
  if (names.size() > 100) kShape.fail("AlarmNames holds at most 100 names");
  for (const auto& type : kShape.string_array(body, "AlarmTypes")) {
    if (type != "MetricAlarm" && type != "CompositeAlarm") {
      kShape.fail("AlarmTypes must be MetricAlarm or CompositeAlarm");
    }
  }
  const int max_records = kShape.optional_int(body, "MaxRecords", 1, 100, state.options.page_size);
  const std::string token = kShape.optional_string(body, "NextToken");
  std::vector<const FakeAlarm*> matching;
  for (const auto& [name, alarm] : state.alarms) {
    bool wanted = names.empty();
    for (const auto& wanted_name : names) wanted = wanted || wanted_name == name;
    if (wanted) matching.push_back(&alarm);
  }
  std::size_t begin = 0;
  if (!token.empty()) {
    try {
      begin = std::stoul(token);
    } catch (const std::exception&) {
      throw FakeError(400, "InvalidNextToken", "The next token specified is invalid.");
    }
  }
  const std::size_t end = std::min(matching.size(), begin + static_cast<std::size_t>(max_records));
  FakeReply reply;
  reply.body = {{"MetricAlarms", nlohmann::json::array()},
                {"CompositeAlarms", nlohmann::json::array()}};
  for (std::size_t i = begin; i < end; ++i) {
    reply.body["MetricAlarms"].push_back({{"AlarmName", matching[i]->name},
                                          {"AlarmArn", matching[i]->arn},
                                          {"StateValue", matching[i]->state},
                                          {"StateReason", "Set by the test."}});
  }
  if (end < matching.size()) reply.body["NextToken"] = std::to_string(end);
  return reply;
}

}  // namespace loveless::testing
