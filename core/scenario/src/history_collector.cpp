#include "history_collector.hpp"

#include <algorithm>
#include <exception>

#include "loveless/aws/json_members.hpp"

namespace loveless::scenario::detail {

namespace {

/// DescribeExecution and every history page of `record.arn`, into `record`.
void fill_from_service(aws::JsonClient& client, history::ExecutionRecord& record) {
  try {
    const auto described = client.call("DescribeExecution", {{"executionArn", record.arn}});
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
      nlohmann::json request = {{"executionArn", record.arn}, {"maxResults", 1000}};
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
}

}  // namespace

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
  fill_from_service(client, record);
  return record;
}

std::vector<std::string> started_children(const history::ExecutionRecord& parent) {
  std::vector<std::string> children;
  for (const auto& event : parent.events) {
    const auto type = aws::string_member(event, "type");
    const char* key = type == "TaskSubmitted"   ? "taskSubmittedEventDetails"
                      : type == "TaskSucceeded" ? "taskSucceededEventDetails"
                                                : nullptr;
    if (key == nullptr || !event.contains(key)) continue;
    const auto& details = event.at(key);
    if (aws::string_member(details, "resourceType") != "states" ||
        !aws::string_member(details, "resource").starts_with("startExecution")) {
      continue;
    }
    const auto output =
        nlohmann::json::parse(aws::string_member(details, "output"), nullptr, false);
    if (!output.is_object()) continue;
    const auto arn = aws::string_member(output, "ExecutionArn");
    if (!arn.empty() && std::find(children.begin(), children.end(), arn) == children.end()) {
      children.push_back(arn);
    }
  }
  return children;
}

std::vector<history::ExecutionRecord> collect_children(
    aws::JsonClient& client, const history::ExecutionRecord& parent,
    const std::map<std::string, std::string>& workflow_of, std::set<std::string>& seen,
    const std::function<void()>& pace, int max_depth) {
  std::vector<history::ExecutionRecord> collected;
  if (max_depth <= 0) return collected;
  for (const auto& arn : started_children(parent)) {
    if (!seen.insert(arn).second) continue;
    history::ExecutionRecord child;
    child.phase = parent.phase;
    child.input_index = parent.input_index;
    child.arn = arn;
    pace();
    fill_from_service(client, child);
    if (!child.events.empty()) {
      const auto& started = child.events.front();
      if (started.contains("executionStartedEventDetails")) {
        const auto& details = started.at("executionStartedEventDetails");
        child.input = nlohmann::json::parse(aws::string_member(details, "input"), nullptr, false);
        if (child.input.is_discarded()) child.input = nullptr;
      }
    }
    // arn:<partition>:states:<region>:<account>:execution:<machine>:<name>
    std::vector<std::string> parts;
    for (std::size_t from = 0;;) {
      const auto colon = arn.find(':', from);
      parts.push_back(arn.substr(from, colon == std::string::npos ? colon : colon - from));
      if (colon == std::string::npos) break;
      from = colon + 1;
    }
    if (parts.size() >= 8) {
      if (const auto it = workflow_of.find(parts[6]); it != workflow_of.end()) {
        child.workflow = it->second;
      }
      child.name = parts[7];
    }
    auto grandchildren = collect_children(client, child, workflow_of, seen, pace, max_depth - 1);
    collected.push_back(std::move(child));
    for (auto& grandchild : grandchildren) collected.push_back(std::move(grandchild));
  }
  return collected;
}

}  // namespace loveless::scenario::detail
