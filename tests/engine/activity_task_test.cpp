#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;

TEST_CASE("activities: create (idempotent), describe, list, delete", "[engine][activities]") {
  ServiceFixture f;
  const auto created = f.call("CreateActivity", {{"name", "work"}});
  CHECK(created["activityArn"] == "arn:aws:states:us-east-1:123456789012:activity:work");
  CHECK(f.call("CreateActivity", {{"name", "work"}}) == created);

  const auto described = f.call("DescribeActivity", {{"activityArn", created["activityArn"]}});
  CHECK(described["name"] == "work");
  CHECK(described["creationDate"] == created["creationDate"]);
  CHECK(described["encryptionConfiguration"] == nlohmann::json{{"type", "AWS_OWNED_KEY"}});

  for (int i = 0; i < 4; ++i) f.create_activity("more-" + std::to_string(i));
  std::set<std::string> names;
  nlohmann::json request = {{"maxResults", 2}};
  for (int page = 0; page < 10; ++page) {
    const auto response = f.call("ListActivities", request);
    for (const auto& item : response["activities"]) names.insert(item["name"].get<std::string>());
    if (!response.contains("nextToken")) break;
    request["nextToken"] = response["nextToken"];
  }
  CHECK(names.size() == 5);

  f.call("DeleteActivity", {{"activityArn", created["activityArn"]}});
  const auto error = service_error([&] {
    f.call("DescribeActivity", {{"activityArn", created["activityArn"]}});
  });
  CHECK(error.type() == "ActivityDoesNotExist");
  CHECK(error.message() ==
        "Activity Does Not Exist: '" + created["activityArn"].get<std::string>() + "'");
  CHECK(service_error([&] {
          f.call("CreateActivity", {{"name", "a/b"}});
        }).type() == "InvalidName");
  CHECK(service_error([&] {
          f.call("DeleteActivity", {{"activityArn", "nope"}});
        }).type() == "InvalidArn");
}

TEST_CASE("an activity task runs from GetActivityTask to SendTaskSuccess with the AWS history",
          "[engine][activities]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  const auto run = f.start(sm, "r", R"({"order": 7})");

  const auto task = f.poll(activity, "worker-a");
  REQUIRE(task);
  CHECK(nlohmann::json::parse((*task)["input"].get<std::string>()) == nlohmann::json{{"order", 7}});
  f.call("SendTaskHeartbeat", {{"taskToken", (*task)["taskToken"]}});
  f.call("SendTaskSuccess",
         {{"taskToken", (*task)["taskToken"]}, {"output", R"({"shipped": true})"}});
  CHECK(f.status(run) == "SUCCEEDED");
  CHECK(f.describe(run)["output"] == R"({"shipped":true})");

  const auto history = f.history(run);
  std::vector<std::string> types;
  for (const auto& event : history) types.push_back(event["type"]);
  CHECK(types == std::vector<std::string>{
                     "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted",
                     "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"});
  CHECK(history[3]["activityStartedEventDetails"]["workerName"] == "worker-a");
  CHECK(history[3]["previousEventId"] == 3);

  // The token is closed now.
  const auto error = service_error([&] {
    f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", "{}"}});
  });
  CHECK(error.type() == "TaskTimedOut");
  CHECK(service_error([&] {
          f.call("SendTaskHeartbeat", {{"taskToken", (*task)["taskToken"]}});
        }).type() == "TaskTimedOut");
}

TEST_CASE("SendTaskFailure fails the task with the worker's error and cause",
          "[engine][activities]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine(
      "orders",
      task_definition(
          activity,
          R"("Retry": [{"ErrorEquals": ["Transient"], "IntervalSeconds": 1, "MaxAttempts": 1}])"));
  const auto run = f.start(sm, "r");

  auto task = f.poll(activity);
  REQUIRE(task);
  f.call("SendTaskFailure",
         {{"taskToken", (*task)["taskToken"]}, {"error", "Transient"}, {"cause", "flaky"}});
  // The retry schedules a second attempt after IntervalSeconds.
  task.reset();
  REQUIRE(wait_until([&] { return (task = f.poll(activity)).has_value(); }, 5s));
  f.call("SendTaskFailure",
         {{"taskToken", (*task)["taskToken"]}, {"error", "Transient"}, {"cause", "again"}});
  REQUIRE(f.wait_for_status(run, "FAILED"));
  const auto described = f.describe(run);
  CHECK(described["error"] == "Transient");
  CHECK(described["cause"] == "again");
  const auto types = f.event_types(run);
  CHECK(std::count(types.begin(), types.end(), "ActivityFailed") == 2);
  CHECK(std::count(types.begin(), types.end(), "ActivityScheduled") == 2);

  CHECK(service_error([&] {
          f.call("SendTaskFailure",
                 {{"taskToken", (*task)["taskToken"]}, {"error", std::string(257, 'e')}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("SendTaskFailure",
                 {{"taskToken", (*task)["taskToken"]}, {"cause", std::string(32'769, 'c')}});
        }).type() == "ValidationException");
}

TEST_CASE("task tokens: unknown, garbled and oversized tokens, invalid outputs",
          "[engine][activities]") {
  ServiceFixture f;
  auto error = service_error([&] {
    f.call("SendTaskSuccess", {{"taskToken", "unknown"}, {"output", "{}"}});
  });
  CHECK(error.type() == "InvalidToken");
  CHECK(error.message() == "Invalid Token: 'unknown'");
  CHECK(service_error([&] {
          f.call("SendTaskHeartbeat", {{"taskToken", ""}});
        }).type() == "InvalidToken");
  CHECK(service_error([&] {
          f.call("SendTaskFailure", {{"taskToken", std::string(2049, 't')}});
        }).type() == "InvalidToken");
  CHECK(service_error([&] { f.call("SendTaskHeartbeat", nlohmann::json::object()); }).type() ==
        "ValidationException");

  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  const auto run = f.start(sm, "r");
  const auto task = f.poll(activity);
  REQUIRE(task);
  const auto token = (*task)["taskToken"];
  CHECK(token.get<std::string>().size() <= 2048);
  error = service_error([&] {
    f.call("SendTaskSuccess", {{"taskToken", token}, {"output", "{broken"}});
  });
  CHECK(error.type() == "InvalidOutput");
  const std::string big = "\"" + std::string(262'144, 'x') + "\"";
  CHECK(service_error([&] {
          f.call("SendTaskSuccess", {{"taskToken", token}, {"output", big}});
        }).type() == "InvalidOutput");
  // The task is still open after the rejected answers.
  CHECK(f.status(run) == "RUNNING");
  f.call("SendTaskSuccess", {{"taskToken", token}, {"output", "[]"}});
  CHECK(f.status(run) == "SUCCEEDED");
}

TEST_CASE("GetActivityTask: errors, and an empty answer when the poll times out",
          "[engine][activities][long-poll]") {
  ServiceFixture f(fast_options(200ms));
  const auto activity = f.create_activity("idle");
  const auto started = std::chrono::steady_clock::now();
  const auto answer = f.call("GetActivityTask", {{"activityArn", activity}});
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(answer == nlohmann::json::object());
  CHECK(waited >= 150ms);
  CHECK(waited < 5s);

  const std::string missing = "arn:aws:states:us-east-1:123456789012:activity:missing";
  const auto error = service_error([&] { f.call("GetActivityTask", {{"activityArn", missing}}); });
  CHECK(error.type() == "ActivityDoesNotExist");
  CHECK(error.message() == "Activity Does Not Exist: '" + missing + "'");
  CHECK(service_error([&] {
          f.call("GetActivityTask", {{"activityArn", "arn:aws:states:x"}});
        }).type() == "InvalidArn");
  CHECK(service_error([&] {
          f.call("GetActivityTask",
                 {{"activityArn", activity}, {"workerName", std::string(81, 'w')}});
        }).type() == "ValidationException");
}

TEST_CASE("a waiting poller gets a task the moment it is scheduled",
          "[engine][activities][long-poll]") {
  ServiceFixture f(fast_options(10s));
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));

  std::optional<nlohmann::json> task;
  std::chrono::steady_clock::time_point answered;
  std::thread poller([&] {
    task = f.poll(activity);
    answered = std::chrono::steady_clock::now();
  });
  std::this_thread::sleep_for(200ms);  // let the poller block
  const auto scheduled = std::chrono::steady_clock::now();
  const auto run = f.start(sm, "r");
  poller.join();
  REQUIRE(task);
  CHECK(answered - scheduled < 1s);
  f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", "{}"}});
  CHECK(f.status(run) == "SUCCEEDED");
}

TEST_CASE("under contention every task token goes to exactly one poller",
          "[engine][activities][long-poll]") {
  ServiceFixture f(fast_options(100ms));
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  constexpr int kExecutions = 40;

  std::mutex mutex;
  std::vector<std::string> tokens;
  std::atomic<bool> done{false};
  std::vector<std::thread> pollers;
  for (int i = 0; i < 8; ++i) {
    pollers.emplace_back([&, i] {
      const auto deadline = std::chrono::steady_clock::now() + 20s;
      while (!done && std::chrono::steady_clock::now() < deadline) {
        const auto task = f.poll(activity, "poller-" + std::to_string(i));
        if (!task) continue;
        std::lock_guard lock(mutex);
        tokens.push_back((*task)["taskToken"].get<std::string>());
        if (tokens.size() >= kExecutions) done = true;
      }
    });
  }
  std::vector<std::string> runs;
  for (int i = 0; i < kExecutions; ++i) runs.push_back(f.start(sm, "r" + std::to_string(i)));
  for (auto& poller : pollers) poller.join();

  REQUIRE(tokens.size() == kExecutions);
  CHECK(std::set<std::string>(tokens.begin(), tokens.end()).size() == kExecutions);
  for (const auto& token : tokens)
    f.call("SendTaskSuccess", {{"taskToken", token}, {"output", "{}"}});
  for (const auto& run : runs) CHECK(f.status(run) == "SUCCEEDED");
}

TEST_CASE("a missed heartbeat times the activity out and its token answers TaskTimedOut",
          "[engine][activities][timers]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm =
      f.create_state_machine("orders", task_definition(activity, R"("HeartbeatSeconds": 1)"));
  const auto run = f.start(sm, "r");
  const auto task = f.poll(activity);
  REQUIRE(task);
  REQUIRE(f.wait_for_status(run, "FAILED", 5s));
  CHECK(f.describe(run)["error"] == "States.Timeout");
  const auto history = f.history(run);
  const auto timed_out = std::find_if(history.begin(), history.end(), [](const nlohmann::json& e) {
    return e["type"] == "ActivityTimedOut";
  });
  REQUIRE(timed_out != history.end());
  CHECK((*timed_out)["activityTimedOutEventDetails"]["error"] == "States.Timeout");

  for (const char* operation : {"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"}) {
    CAPTURE(operation);
    const auto error = service_error([&] {
      f.call(operation, {{"taskToken", (*task)["taskToken"]}, {"output", "{}"}});
    });
    CHECK(error.type() == "TaskTimedOut");
    CHECK(error.message() == "Task Timed Out: 'Provided task does not exist anymore'");
  }
}

TEST_CASE("heartbeats keep a task alive past HeartbeatSeconds", "[engine][activities][timers]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm =
      f.create_state_machine("orders", task_definition(activity, R"("HeartbeatSeconds": 1)"));
  const auto run = f.start(sm, "r");
  const auto task = f.poll(activity);
  REQUIRE(task);
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(400ms);
    f.call("SendTaskHeartbeat", {{"taskToken", (*task)["taskToken"]}});
  }
  CHECK(f.status(run) == "RUNNING");
  f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", "{}"}});
  CHECK(f.status(run) == "SUCCEEDED");
}

TEST_CASE("shutdown wakes blocked pollers", "[engine][activities][long-poll]") {
  ServiceFixture f(fast_options(30s));
  const auto activity = f.create_activity("work");
  nlohmann::json answer;
  const auto started = std::chrono::steady_clock::now();
  std::thread poller([&] { answer = f.call("GetActivityTask", {{"activityArn", activity}}); });
  std::this_thread::sleep_for(100ms);
  f.service.shutdown();
  poller.join();
  CHECK(answer == nlohmann::json::object());
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}
