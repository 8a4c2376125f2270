#pragma once

// Real execution histories: the local engine runs a workflow while the test
// plays the workers, and GetExecutionHistory gives the events the runner
// would collect.

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/engine/service.hpp"
#include "loveless/history/history.hpp"

namespace loveless::testing {

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

/// The execution as the runner records it: status, output, dates and every
/// history event (all pages).
inline history::ExecutionRecord record_execution(engine::StepFunctionsService& service,
                                                 const std::string& arn, history::Phase phase,
                                                 std::size_t input_index) {
  const auto described = service.invoke("DescribeExecution", {{"executionArn", arn}});
  history::ExecutionRecord record;
  record.phase = phase;
  record.input_index = input_index;
  record.workflow = "index";
  record.name = described["name"].get<std::string>();
  record.arn = arn;
  record.input = nlohmann::json::parse(described["input"].get<std::string>());
  record.status = described["status"].get<std::string>();
  if (described.contains("output")) {
    record.output = nlohmann::json::parse(described["output"].get<std::string>());
  }
  record.error = described.value("error", "");
  record.cause = described.value("cause", "");
  record.start = history::from_epoch_seconds(described["startDate"].get<double>());
  if (described.contains("stopDate")) {
    record.stop = history::from_epoch_seconds(described["stopDate"].get<double>());
  }
  nlohmann::json request = {{"executionArn", arn}, {"maxResults", 10}};
  for (int page = 0; page < 1000; ++page) {
    const auto response = service.invoke("GetExecutionHistory", request);
    for (const auto& event : response["events"]) record.events.push_back(event);
    if (!response.contains("nextToken")) break;
    request["nextToken"] = response["nextToken"];
  }
  return record;
}

/// One GetActivityTask as `worker`; nullopt when the poll returned no task.
inline std::optional<nlohmann::json> poll_task(engine::StepFunctionsService& service,
                                               const std::string& activity_arn,
                                               const std::string& worker) {
  auto task =
      service.invoke("GetActivityTask", {{"activityArn", activity_arn}, {"workerName", worker}});
  if (!task.contains("taskToken")) return std::nullopt;
  return task;
}

inline engine::ServiceOptions fast_service_options() {
  engine::ServiceOptions options;
  options.activity_poll_timeout = std::chrono::milliseconds(100);
  options.seed = 7;
  return options;
}

}  // namespace loveless::testing
