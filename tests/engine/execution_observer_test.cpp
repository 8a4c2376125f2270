#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/asl/history.hpp"

#include "engine_test_support.hpp"
#include "lambda_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;

namespace {


/// An observer that queues every notice, as observers must.
class Collector {
 public:
  ExecutionObserver observer() {
    return [this](const ExecutionNotice& notice) {
      std::lock_guard lock(mutex_);
      notices_.push_back(notice);
    };
  }
  [[nodiscard]] std::vector<ExecutionNotice> all() const {
    std::lock_guard lock(mutex_);
    return notices_;
  }
  [[nodiscard]] std::vector<ExecutionNotice> of(const std::string& execution_arn) const {
    std::vector<ExecutionNotice> found;
    for (auto& notice : all()) {
      if (notice.execution_arn == execution_arn) found.push_back(std::move(notice));
    }
    return found;
  }
  /// The notices of `execution_arn` in the API's JSON shape.
  [[nodiscard]] nlohmann::json events_of(const std::string& execution_arn) const {
    auto events = nlohmann::json::array();
    for (const auto& notice : of(execution_arn))
      events.push_back(loveless::asl::to_json(notice.event));
    return events;
  }
  /// The worker of every Started event of `execution_arn`, in order.
  [[nodiscard]] std::vector<std::string> workers_of(const std::string& execution_arn,
                                                    const std::string& started_type) const {
    std::vector<std::string> workers;
    for (const auto& notice : of(execution_arn)) {
      if (notice.event.type == started_type) workers.push_back(notice.worker);
    }
    return workers;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<ExecutionNotice> notices_;
};

/// Work (Task) -> on any error -> Again (Task), both on `activity`.
std::string catch_then_retry_definition(const std::string& activity) {
  return R"({"StartAt": "Work", "States": {
    "Work": {"Type": "Task", "Resource": ")" +
         activity + R"(", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Again"}], "End": true},
    "Again": {"Type": "Task", "Resource": ")" +
         activity + R"(", "End": true}}})";
}

/// Pass, Wait 0 s, Choice, Pass: several events without any task.
constexpr const char* kNoTaskDefinition = R"({"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Result": {"x": 1}, "Next": "W"},
  "W": {"Type": "Wait", "Seconds": 0, "Next": "C"},
  "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "B"}],
        "Default": "B"},
  "B": {"Type": "Pass", "End": true}}})";

}  // namespace

TEST_CASE("observe: every event arrives in order with the ids GetExecutionHistory returns",
          "[engine][observe]") {
  ServiceFixture f;
  Collector collector;
  f.service.observe(collector.observer());
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", catch_then_retry_definition(activity));
  const auto run = f.start(sm, "r", R"({"order": 7})");

  // StartExecution's own events are published before it returns.
  const auto started = collector.of(run);
  REQUIRE(started.size() >= 3);
  CHECK(started[0].event.type == "ExecutionStarted");
  CHECK(started[0].event.id == 1);
  CHECK(started[0].state_machine_arn == sm);

  auto task = f.poll(activity, "worker-a");
  REQUIRE(task);
  f.call("SendTaskFailure", {{"taskToken", (*task)["taskToken"]}, {"error", "Boom"}});
  task = f.poll(activity, "worker-b");
  REQUIRE(task);
  f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", R"({"ok": 1})"}});
  REQUIRE(f.status(run) == "SUCCEEDED");

  const auto history = f.history(run);
  CHECK(collector.events_of(run) == history);
  const auto notices = collector.of(run);
  REQUIRE(notices.size() == history.size());
  for (std::size_t i = 0; i < notices.size(); ++i) {
    CHECK(notices[i].event.id == static_cast<std::int64_t>(i + 1));
    CHECK(notices[i].execution_arn == run);
    CHECK(notices[i].state_machine_arn == sm);
    const bool started_task = notices[i].event.type == "ActivityStarted";
    CHECK(notices[i].worker.empty() == !started_task);
  }
  // ActivityStarted carries the polling workerName, as the history records it.
  CHECK(collector.workers_of(run, "ActivityStarted") ==
        std::vector<std::string>{"worker-a", "worker-b"});
  std::vector<std::string> recorded;
  for (const auto& event : history) {
    if (event["type"] == "ActivityStarted") {
      recorded.push_back(event["activityStartedEventDetails"]["workerName"]);
    }
  }
  CHECK(recorded == std::vector<std::string>{"worker-a", "worker-b"});
}

TEST_CASE("observe: timers and StopExecution are published too", "[engine][observe]") {
  ServiceFixture f;
  Collector collector;
  f.service.observe(collector.observer());
  const auto sm = f.create_state_machine("flow", kNoTaskDefinition);
  const auto run = f.start(sm, "r");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  CHECK(collector.events_of(run) == f.history(run));

  const auto activity = f.create_activity("never-polled");
  const auto waiting = f.create_state_machine("waiting", task_definition(activity));
  const auto stopped = f.start(waiting, "s");
  f.call("StopExecution", {{"executionArn", stopped}, {"error", "Test"}});
  const auto events = collector.events_of(stopped);
  CHECK(events == f.history(stopped));
  REQUIRE_FALSE(events.empty());
  CHECK(events.back()["type"] == "ExecutionAborted");
}

TEST_CASE("observe: only events recorded after observe arrive", "[engine][observe]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  const auto run = f.start(sm, "r");
  const auto before = f.history(run).size();

  Collector collector;
  f.service.observe(collector.observer());
  const auto task = f.poll(activity, "late-worker");
  REQUIRE(task);
  f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", "{}"}});
  REQUIRE(f.status(run) == "SUCCEEDED");

  const auto notices = collector.of(run);
  REQUIRE_FALSE(notices.empty());
  CHECK(notices.front().event.id == static_cast<std::int64_t>(before + 1));
  CHECK(notices.front().event.type == "ActivityStarted");
  CHECK(notices.front().worker == "late-worker");
  CHECK(notices.size() == f.history(run).size() - before);
}

TEST_CASE("observe: a local Lambda task's Started event carries the environment id",
          "[engine][observe][lambda]") {
  InThreadFunction function("echo", echo);
  ServiceFixture f;
  Collector collector;
  f.service.observe(collector.observer());
  f.service.register_function(function.config(f.service));

  SECTION("a function ARN: LambdaFunctionStarted") {
    const auto sm = f.create_state_machine("sm", task_definition(kEchoArn));
    const auto first = f.start(sm, "first", R"({"n": 1})");
    REQUIRE(f.wait_for_status(first, "SUCCEEDED"));
    const auto second = f.start(sm, "second", R"({"n": 2})");
    REQUIRE(f.wait_for_status(second, "SUCCEEDED"));
    // The warm environment is reused: both tasks ran on echo-1.
    CHECK(collector.workers_of(first, "LambdaFunctionStarted") ==
          std::vector<std::string>{"echo-1"});
    CHECK(collector.workers_of(second, "LambdaFunctionStarted") ==
          std::vector<std::string>{"echo-1"});
    CHECK(collector.events_of(first) == f.history(first));
    CHECK(collector.events_of(second) == f.history(second));
    for (const auto& notice : collector.of(first)) {
      CHECK(notice.worker.empty() == (notice.event.type != "LambdaFunctionStarted"));
    }
  }
  SECTION("lambda:invoke: TaskStarted") {
    const auto sm = f.create_state_machine(
        "sm", task_definition("arn:aws:states:::lambda:invoke",
                              R"("Parameters": {"FunctionName": "echo", "Payload.$": "$"})"));
    const auto run = f.start(sm, "r", R"({"n": 3})");
    REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
    CHECK(collector.workers_of(run, "TaskStarted") == std::vector<std::string>{"echo-1"});
    CHECK(collector.events_of(run) == f.history(run));
  }
  SECTION("lambda:invoke of an unknown function: TaskStarted with no worker") {
    const auto sm = f.create_state_machine(
        "sm", task_definition("arn:aws:states:::lambda:invoke",
                              R"("Parameters": {"FunctionName": "missing", "Payload.$": "$"})"));
    const auto run = f.start(sm, "r");
    REQUIRE(f.wait_for_status(run, "FAILED"));
    CHECK(collector.workers_of(run, "TaskStarted") == std::vector<std::string>{""});
    CHECK(collector.events_of(run) == f.history(run));
  }
}

TEST_CASE("observe: unobserve stops notices and two observers both get every event",
          "[engine][observe]") {
  ServiceFixture f;
  Collector first;
  Collector second;
  const auto first_id = f.service.observe(first.observer());
  const auto second_id = f.service.observe(second.observer());
  CHECK(first_id != 0);
  CHECK(second_id != first_id);
  const auto sm = f.create_state_machine("sm", pass_definition());

  const auto both = f.start(sm, "both");
  REQUIRE(f.status(both) == "SUCCEEDED");
  CHECK(first.events_of(both) == f.history(both));
  CHECK(second.events_of(both) == f.history(both));

  f.service.unobserve(first_id);
  const auto after = f.start(sm, "after");
  REQUIRE(f.status(after) == "SUCCEEDED");
  CHECK(first.of(after).empty());
  CHECK(second.events_of(after) == f.history(after));
  CHECK(first.all().size() == f.history(both).size());

  f.service.unobserve(second_id);
  f.service.unobserve(second_id);  // unknown ids are ignored
  f.service.unobserve(12345);
  const auto none = f.start(sm, "none");
  REQUIRE(f.status(none) == "SUCCEEDED");
  CHECK(second.of(none).empty());
}

TEST_CASE("observe: a throwing observer is ignored and re-entry is refused", "[engine][observe]") {
  ServiceFixture f;
  std::atomic<int> refused{0};
  f.service.observe([&](const ExecutionNotice& /*notice*/) {
    try {
      f.service.unobserve(1);
    } catch (const std::logic_error&) {
      ++refused;
    }
    throw std::runtime_error("observer bug");
  });
  Collector collector;
  f.service.observe(collector.observer());
  CHECK_THROWS_AS(f.service.observe(ExecutionObserver{}), std::invalid_argument);

  const auto sm = f.create_state_machine("sm", pass_definition());
  const auto run = f.start(sm, "r");
  REQUIRE(f.status(run) == "SUCCEEDED");
  const auto history = f.history(run);
  CHECK(collector.events_of(run) == history);
  CHECK(refused == static_cast<int>(history.size()));
}

TEST_CASE("observe: concurrent executions each arrive complete and in order", "[engine][observe]") {
  ServiceFixture f;
  Collector collector;
  f.service.observe(collector.observer());
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("sm", task_definition(activity));
  constexpr int kThreads = 4;
  constexpr int kRuns = 20;

  std::vector<std::thread> starters;
  std::vector<std::thread> workers;
  std::atomic<int> done{0};
  for (int t = 0; t < kThreads; ++t) {
    starters.emplace_back([&, t] {
      for (int i = 0; i < kRuns; ++i)
        f.start(sm, "r-" + std::to_string(t) + "-" + std::to_string(i));
    });
    workers.emplace_back([&, t] {
      const auto name = "worker-" + std::to_string(t);
      while (done < kThreads * kRuns) {
        const auto task = f.poll(activity, name);
        if (!task) continue;
        f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", "{}"}});
        ++done;
      }
    });
  }
  for (auto& thread : starters) thread.join();
  for (auto& thread : workers) thread.join();

  std::map<std::string, std::vector<ExecutionNotice>> by_execution;
  for (auto& notice : collector.all()) by_execution[notice.execution_arn].push_back(notice);
  REQUIRE(by_execution.size() == static_cast<std::size_t>(kThreads * kRuns));
  for (const auto& [arn, notices] : by_execution) {
    const auto history = f.history(arn);
    REQUIRE(notices.size() == history.size());
    for (std::size_t i = 0; i < notices.size(); ++i) {
      CHECK(notices[i].event.id == static_cast<std::int64_t>(i + 1));
      if (notices[i].event.type == "ActivityStarted") {
        CHECK(notices[i].worker ==
              history[i]["activityStartedEventDetails"]["workerName"].get<std::string>());
      }
    }
  }
}
