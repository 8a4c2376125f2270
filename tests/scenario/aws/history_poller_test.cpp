// The aws stack's live notices come from polling (ListExecutions +
// GetExecutionHistory), since AWS Step Functions pushes none. Here the
// poller follows our engine over HTTP with a signed client, as it would
// follow AWS, and its notices are compared with the engine's own pushed
// notices for the same executions: same events, same order, same workers.
#include "history_poller.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"

#include "stop_conditions.hpp"

namespace {

using namespace loveless;
using namespace std::chrono_literals;

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

struct Seen {
  std::string execution;
  std::int64_t id = 0;
  std::string type;
  std::string worker;
  bool operator==(const Seen&) const = default;
};

class NoticeLog {
 public:
  void add(const engine::ExecutionNotice& notice) {
    std::lock_guard lock(mutex_);
    seen_[notice.execution_arn].push_back(
        {notice.execution_arn, notice.event.id, notice.event.type, notice.worker});
  }
  std::map<std::string, std::vector<Seen>> snapshot() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Seen>> seen_;
};

constexpr const char* kDefinition = R"({"StartAt": "Work", "States": {
  "Work": {"Type": "Task", "Resource": "ACTIVITY", "TimeoutSeconds": 30, "Next": "Done"},
  "Done": {"Type": "Pass", "End": true}}})";

}  // namespace

TEST_CASE("the history poller gives the notices the engine pushes, workers included",
          "[aws][history-poller]") {
  engine::ServiceOptions service_options;
  service_options.activity_poll_timeout = 200ms;
  engine::StepFunctionsService service(service_options);
  engine::HttpServer server(service);
  server.start("127.0.0.1", 0);
  NoticeLog pushed;
  const auto subscription =
      service.observe([&pushed](const engine::ExecutionNotice& notice) { pushed.add(notice); });

  aws::JsonClientOptions options;
  options.endpoint = server.url();
  options.region = "us-east-1";
  options.credentials =
      aws::static_credentials({"AKIDPOLLER", "poller-secret", "", std::nullopt, "static"});
  aws::JsonClient client(options);
  const auto activity =
      client.call("CreateActivity", {{"name", "work"}})["activityArn"].get<std::string>();
  std::string definition = kDefinition;
  definition.replace(definition.find("ACTIVITY"), 8, activity);
  const auto machine =
      client
          .call("CreateStateMachine",
                {{"name", "polled"},
                 {"definition", definition},
                 {"roleArn", "arn:aws:iam::123456789012:role/r"}})["stateMachineArn"]
          .get<std::string>();

  NoticeLog polled;
  scenario::detail::HistoryPollerOptions poll;
  poll.interval = 50ms;
  poll.calls_per_second = 200;
  scenario::detail::HistoryPoller poller(
      aws::JsonClient(options), {machine}, std::chrono::system_clock::now() - 1min, {}, {},
      [&polled](const engine::ExecutionNotice& n) { polled.add(n); }, poll);

  std::vector<std::string> executions;
  for (int i = 0; i < 3; ++i) {
    executions.push_back(client
                             .call("StartExecution",
                                   {{"stateMachineArn", machine},
                                    {"input", "{\"n\":" + std::to_string(i) + "}"}})["executionArn"]
                             .get<std::string>());
  }
  // Play the worker: each task is taken by a worker named after its turn.
  for (int i = 0; i < 3; ++i) {
    nlohmann::json task;
    REQUIRE(eventually([&] {
      task = client.call("GetActivityTask",
                         {{"activityArn", activity}, {"workerName", "task-" + std::to_string(i)}});
      return task.contains("taskToken");
    }));
    client.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", "{}"}});
  }
  const auto closed = [](const std::map<std::string, std::vector<Seen>>& log,
                         const std::string& arn) {
    const auto it = log.find(arn);
    return it != log.end() && !it->second.empty() && it->second.back().type == "ExecutionSucceeded";
  };
  REQUIRE(eventually([&] {
    const auto log = polled.snapshot();
    for (const auto& arn : executions) {
      if (!closed(log, arn)) return false;
    }
    return true;
  }));
  poller.stop();
  service.unobserve(subscription);

  const auto by_engine = pushed.snapshot();
  const auto by_poller = polled.snapshot();
  for (const auto& arn : executions) {
    INFO(arn);
    REQUIRE(by_poller.contains(arn));
    CHECK(by_poller.at(arn) == by_engine.at(arn));
    bool named = false;
    for (const auto& seen : by_poller.at(arn)) {
      if (seen.type == "ActivityStarted") named = seen.worker.starts_with("task-");
    }
    CHECK(named);
  }
  CHECK(poller.rounds() > 0);
}

TEST_CASE("executions started before the run are not followed", "[aws][history-poller]") {
  engine::StepFunctionsService service;
  engine::HttpServer server(service);
  server.start("127.0.0.1", 0);
  aws::JsonClientOptions options;
  options.endpoint = server.url();
  aws::JsonClient client(options);
  const auto machine =
      client
          .call("CreateStateMachine",
                {{"name", "old"},
                 {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})"},
                 {"roleArn", "arn:aws:iam::123456789012:role/r"}})["stateMachineArn"]
          .get<std::string>();
  client.call("StartExecution", {{"stateMachineArn", machine}});
  std::this_thread::sleep_for(50ms);

  NoticeLog polled;
  scenario::detail::HistoryPollerOptions poll;
  poll.interval = 20ms;
  poll.calls_per_second = 500;
  // The API's startDate has millisecond precision: a run start taken in the
  // same millisecond as the fresh execution's would be after its truncated
  // startDate (a flake seen in CI). 1 ms back still leaves the old one 49 ms out.
  scenario::detail::HistoryPoller poller(
      aws::JsonClient(options), {machine}, std::chrono::system_clock::now() - 1ms, {}, {},
      [&polled](const engine::ExecutionNotice& n) { polled.add(n); }, poll);
  const auto fresh = client.call("StartExecution", {{"stateMachineArn", machine}})["executionArn"]
                         .get<std::string>();
  REQUIRE(eventually([&] { return polled.snapshot().contains(fresh); }));
  REQUIRE(eventually([&] { return poller.rounds() > 3; }));
  poller.stop();
  CHECK(polled.snapshot().size() == 1);
}

TEST_CASE("a failure rate above the bound stops the run, and only once enough have closed",
          "[aws][stop-conditions]") {
  scenario::AwsStopConditions conditions;
  conditions.max_failure_rate = 0.5;
  conditions.failure_rate_min_executions = 4;
  scenario::detail::StopConditionMonitor monitor(conditions, nullptr);
  CHECK(monitor.start().empty());
  monitor.execution_closed("FAILED");
  monitor.execution_closed("FAILED");
  monitor.execution_closed("FAILED");
  CHECK_FALSE(monitor.reason());  // 3 of 3 failed, but fewer than 4 closed
  monitor.execution_closed("SUCCEEDED");
  REQUIRE(monitor.reason());
  CHECK(*monitor.reason() == "3 of 4 closed executions failed (75%), above the 50% stop condition");
}

TEST_CASE("a failure rate at the bound does not stop the run", "[aws][stop-conditions]") {
  scenario::AwsStopConditions conditions;
  conditions.max_failure_rate = 0.5;
  conditions.failure_rate_min_executions = 2;
  scenario::detail::StopConditionMonitor monitor(conditions, nullptr);
  monitor.execution_closed("TIMED_OUT");
  monitor.execution_closed("SUCCEEDED");
  CHECK_FALSE(monitor.reason());
  monitor.execution_closed("ABORTED");
  CHECK(monitor.reason());
}

TEST_CASE("an alarm in ALARM stops the run and an unknown alarm is refused",
          "[aws][stop-conditions]") {
  scenario::AwsStopConditions conditions;
  conditions.alarms = {"arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors"};
  conditions.alarm_poll_interval = 10ms;
  std::mutex mutex;
  std::string state = "OK";
  const auto reader = [&](const std::vector<std::string>& names) {
    std::lock_guard lock(mutex);
    std::vector<aws_api::AlarmState> states;
    for (const auto& name : names) {
      if (name == "errors") {
        states.push_back({name, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors", state,
                          "Threshold Crossed"});
      }
    }
    return states;
  };
  scenario::detail::StopConditionMonitor monitor(conditions, reader);
  CHECK(monitor.start() ==
        std::vector<std::string>{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors"});
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(monitor.reason());
  {
    std::lock_guard lock(mutex);
    state = "ALARM";
  }
  REQUIRE(eventually([&] { return monitor.reason().has_value(); }, 5s));
  CHECK(*monitor.reason() == "CloudWatch alarm errors is in ALARM: Threshold Crossed");
  monitor.stop();

  scenario::AwsStopConditions unknown;
  unknown.alarms = {"no-such-alarm"};
  scenario::detail::StopConditionMonitor refused(unknown, reader);
  CHECK_THROWS_WITH(refused.start(),
                    Catch::Contains("CloudWatch alarm no-such-alarm does not exist"));
}
