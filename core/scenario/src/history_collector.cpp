#include "history_collector.hpp"

#include <exception>

#include "loveless/aws/json_members.hpp"

namespace loveless::scenario::detail {

history::ExecutionRecord collect_execution(aws::JsonClient& client,
                                           const StartedExecution& started) {
  history::ExecutionRecord record;
  record.phase = started.phase;
  record.input_index = started.input_index;
  record.workflow = started.workflow;
  record.name = started.name;
  record.arn = started.arn;
  record.input = started.input;
  if (!started.start_error.empty()) {
    record.status = "NOT_STARTED";
    record.error = "StartExecution";
    record.cause = started.start_error;
    return record;
  }
  try {
    const auto described = client.call("DescribeExecution", {{"executionArn", started.arn}});
    record.status = aws::string_member(described, "status");
    record.error = aws::string_member(described, "error");
    record.cause = aws::string_member(described, "cause");
    if (described.contains("startDate")) {
      record.start = history::from_epoch_seconds(described["startDate"].get<double>());
    }
    if (described.contains("stopDate")) {
      record.stop = history::from_epoch_seconds(described["stopDate"].get<double>());
    }
    if (record.status == "SUCCEEDED") {
      record.output =
          nlohmann::json::parse(aws::string_member(described, "output"), nullptr, false);
      if (record.output.is_discarded()) record.output = nullptr;
    }
    std::string token;
    do {
      nlohmann::json request = {{"executionArn", started.arn}, {"maxResults", 1000}};
      if (!token.empty()) request["nextToken"] = token;
      const auto page = client.call("GetExecutionHistory", request);
      for (const auto& event : page.value("events", nlohmann::json::array())) {
        record.events.push_back(event);
      }
      token = aws::string_member(page, "nextToken");
    } while (!token.empty());
  } catch (const std::exception& e) {
    if (record.status.empty()) record.status = "UNKNOWN";
    record.cause +=
        (record.cause.empty() ? "" : "; ") + std::string("collecting it failed: ") + e.what();
  }
  return record;
}

}  // namespace loveless::scenario::detail
