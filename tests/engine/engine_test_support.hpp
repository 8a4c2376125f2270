#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/engine/service.hpp"
#include "loveless/engine/service_error.hpp"

namespace loveless::engine::testing {

inline constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/loveless-test";

/// Short long polls and a fixed seed keep the tests fast and reproducible;
/// unsliced calls let a test read an execution's result as soon as the call
/// that ran it returns (`sliced_options` for the engine's default).
inline ServiceOptions fast_options(
    std::chrono::milliseconds poll = std::chrono::milliseconds(200)) {
  ServiceOptions options;
  options.activity_poll_timeout = poll;
  options.seed = 42;
  options.interpreter_slice = {};
  return options;
}

/// `fast_options` with the engine's default time slice, as `loveless serve`
/// and the runner run it.
inline ServiceOptions sliced_options() {
  auto options = fast_options();
  options.interpreter_slice = ServiceOptions{}.interpreter_slice;
  return options;
}

inline std::string pass_definition(const std::string& result = R"({"done": true})") {
  return R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": )" + result +
         R"(, "End": true}}})";
}

/// One Task state on `resource`; `extra` is spliced into the Task object.
inline std::string task_definition(const std::string& resource, const std::string& extra = "") {
  return R"({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ")" + resource +
         "\"" + (extra.empty() ? "" : ", " + extra) + R"(, "End": true}}})";
}

/// Runs `call` and returns the ServiceError it throws; fails the test if it does not throw.
inline ServiceError service_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const ServiceError& e) {
    return e;
  }
  FAIL("expected a ServiceError");
  return ServiceError("", "");
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
inline bool wait_until(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

/// A service with helpers for the usual set-up calls.
class ServiceFixture {
 public:
  explicit ServiceFixture(ServiceOptions options = fast_options()) : service(std::move(options)) {}

  nlohmann::json call(std::string_view operation, const nlohmann::json& request) {
    return service.invoke(operation, request);
  }
  std::string create_state_machine(const std::string& name, const std::string& definition) {
    return call("CreateStateMachine", {{"name", name},
                                       {"definition", definition},
                                       {"roleArn", kRoleArn}})["stateMachineArn"]
        .get<std::string>();
  }
  std::string create_activity(const std::string& name) {
    return call("CreateActivity", {{"name", name}})["activityArn"].get<std::string>();
  }
  std::string start(const std::string& state_machine_arn, const std::string& name,
                    const std::string& input = "{}") {
    return call("StartExecution", {{"stateMachineArn", state_machine_arn},
                                   {"name", name},
                                   {"input", input}})["executionArn"]
        .get<std::string>();
  }
  nlohmann::json describe(const std::string& execution_arn) {
    return call("DescribeExecution", {{"executionArn", execution_arn}});
  }
  std::string status(const std::string& execution_arn) {
    return describe(execution_arn)["status"].get<std::string>();
  }
  bool wait_for_status(const std::string& execution_arn, const std::string& expected,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait_until([&] { return status(execution_arn) == expected; }, timeout);
  }
  nlohmann::json history(const std::string& execution_arn) {
    return call("GetExecutionHistory",
                {{"executionArn", execution_arn}, {"maxResults", 1000}})["events"];
  }
  /// The types of the history's events, in order.
  std::vector<std::string> event_types(const std::string& execution_arn) {
    std::vector<std::string> types;
    for (const auto& event : history(execution_arn)) types.push_back(event["type"]);
    return types;
  }
  /// One GetActivityTask; nullopt when it returned no task.
  std::optional<nlohmann::json> poll(const std::string& activity_arn,
                                     const std::string& worker = "test-worker") {
    auto task = call("GetActivityTask", {{"activityArn", activity_arn}, {"workerName", worker}});
    if (!task.contains("taskToken")) return std::nullopt;
    return task;
  }

  StepFunctionsService service;
};

}  // namespace loveless::engine::testing
