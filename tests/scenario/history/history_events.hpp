#pragma once

// Hand-written execution histories in the GetExecutionHistory shape, for the
// task derivation and check tests: each helper appends one event linked to
// `previous` (as Step Functions links them) and returns its id.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/history/history.hpp"

namespace loveless::testing {

/// Epoch seconds of the tests' time zero (2023-11-14T22:13:20Z).
inline constexpr double kT0 = 1'700'000'000.0;

/// kT0 + `seconds`, as a history time point.
inline history::TimePoint at(double seconds) { return history::from_epoch_seconds(kT0 + seconds); }

class EventLog {
 public:
  std::int64_t add(const std::string& type, std::int64_t previous, double seconds,
                   const std::string& details_key = "",
                   nlohmann::json details = nlohmann::json::object()) {
    const auto id = static_cast<std::int64_t>(events.size()) + 1;
    nlohmann::json event = {
        {"id", id}, {"previousEventId", previous}, {"timestamp", kT0 + seconds}, {"type", type}};
    if (!details_key.empty()) event[details_key] = std::move(details);
    events.push_back(std::move(event));
    return id;
  }

  std::int64_t execution_started(double seconds, const std::string& input = "{}") {
    return add("ExecutionStarted", 0, seconds, "executionStartedEventDetails",
               {{"input", input}, {"roleArn", "arn:aws:iam::123456789012:role/test"}});
  }
  std::int64_t state_entered(const std::string& type, const std::string& name,
                             std::int64_t previous, double seconds) {
    return add(type + "StateEntered", previous, seconds, "stateEnteredEventDetails",
               {{"name", name}, {"input", "{}"}});
  }
  std::int64_t task_entered(const std::string& name, std::int64_t previous, double seconds) {
    return state_entered("Task", name, previous, seconds);
  }
  std::int64_t state_exited(const std::string& type, const std::string& name, std::int64_t previous,
                            double seconds) {
    return add(type + "StateExited", previous, seconds, "stateExitedEventDetails",
               {{"name", name}, {"output", "{}"}});
  }

  // Activities
  std::int64_t activity_scheduled(const std::string& resource, std::int64_t previous,
                                  double seconds) {
    return add("ActivityScheduled", previous, seconds, "activityScheduledEventDetails",
               {{"resource", resource}, {"input", "{}"}, {"heartbeatInSeconds", 2}});
  }
  std::int64_t activity_started(const std::string& worker, std::int64_t previous, double seconds) {
    return add("ActivityStarted", previous, seconds, "activityStartedEventDetails",
               {{"workerName", worker}});
  }
  std::int64_t activity_succeeded(std::int64_t previous, double seconds,
                                  const std::string& output = "{}") {
    return add("ActivitySucceeded", previous, seconds, "activitySucceededEventDetails",
               {{"output", output}});
  }
  std::int64_t activity_failed(std::int64_t previous, double seconds, const std::string& error,
                               const std::string& cause = "") {
    return add("ActivityFailed", previous, seconds, "activityFailedEventDetails",
               {{"error", error}, {"cause", cause}});
  }
  /// As AWS records a task timeout or a missed heartbeat: States.Timeout, no cause.
  std::int64_t activity_timed_out(std::int64_t previous, double seconds) {
    return add("ActivityTimedOut", previous, seconds, "activityTimedOutEventDetails",
               {{"error", "States.Timeout"}});
  }

  // Lambda, by function ARN
  std::int64_t lambda_scheduled(const std::string& function_arn, std::int64_t previous,
                                double seconds) {
    return add("LambdaFunctionScheduled", previous, seconds, "lambdaFunctionScheduledEventDetails",
               {{"resource", function_arn}, {"input", "{}"}});
  }
  std::int64_t lambda_started(std::int64_t previous, double seconds) {
    return add("LambdaFunctionStarted", previous, seconds);
  }
  std::int64_t lambda_succeeded(std::int64_t previous, double seconds) {
    return add("LambdaFunctionSucceeded", previous, seconds, "lambdaFunctionSucceededEventDetails",
               {{"output", "{}"}});
  }
  std::int64_t lambda_failed(std::int64_t previous, double seconds, const std::string& error) {
    return add("LambdaFunctionFailed", previous, seconds, "lambdaFunctionFailedEventDetails",
               {{"error", error}, {"cause", "it broke"}});
  }

  std::int64_t execution_succeeded(std::int64_t previous, double seconds) {
    return add("ExecutionSucceeded", previous, seconds, "executionSucceededEventDetails",
               {{"output", "{}"}});
  }
  std::int64_t execution_failed(std::int64_t previous, double seconds, const std::string& error) {
    return add("ExecutionFailed", previous, seconds, "executionFailedEventDetails",
               {{"error", error}, {"cause", ""}});
  }

  std::vector<nlohmann::json> events;
};

}  // namespace loveless::testing
