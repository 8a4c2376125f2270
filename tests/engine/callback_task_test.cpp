// lambda:invoke.waitForTaskToken: the function receives the task token in its
// event, and the task closes when some client answers the token.

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"
#include "lambda_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;
using Kind = FunctionAction::Kind;

namespace {

constexpr const char* kCallback = "arn:aws:states:::lambda:invoke.waitForTaskToken";

/// A callback Task on `function_name` whose event is `{"token": $$.Task.Token, "input": $}`.
std::string callback_definition(const std::string& function_name, const std::string& extra = "") {
  return task_definition(kCallback, R"("Parameters": {"FunctionName": ")" + function_name +
                                        R"(", "Payload": {"token.$": "$$.Task.Token",
                                        "input.$": "$"}})" +
                                        (extra.empty() ? "" : ", " + extra));
}

/// Returns `{"received": true}` at once (the token is answered by someone else).
FunctionAction receive(const nlohmann::json& /*event*/, int /*previous*/) {
  return {Kind::kRespond, R"({"received": true})", "", {}};
}

/// The token of the `index`th invocation, once the function has received it.
std::string token_of(const InThreadFunction& function, std::size_t index = 0) {
  REQUIRE(wait_until([&] { return function.seen().size() > index; }));
  return function.seen().at(index).event.at("token").get<std::string>();
}

/// The first event of `type`, or null.
nlohmann::json find_event(const nlohmann::json& history, const std::string& type) {
  const auto it = std::find_if(history.begin(), history.end(),
                               [&](const nlohmann::json& event) { return event["type"] == type; });
  return it == history.end() ? nlohmann::json() : *it;
}

/// How many events of `type` the history holds.
std::size_t count_events(const nlohmann::json& history, const std::string& type) {
  return static_cast<std::size_t>(
      std::count_if(history.begin(), history.end(),
                    [&](const nlohmann::json& event) { return event["type"] == type; }));
}

void check_token_closed(ServiceFixture& f, const std::string& token) {
  for (const char* operation : {"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"}) {
    CAPTURE(operation);
    const auto error = service_error([&] {
      f.call(operation, {{"taskToken", token}, {"output", R"("late")"}});
    });
    CHECK(error.type() == "TaskTimedOut");
    CHECK(error.message() == "Task Timed Out: 'Provided task does not exist anymore'");
  }
}

}  // namespace

TEST_CASE(
    "callback: the function gets the token, TaskSubmitted holds the Invoke response, "
    "and SendTaskSuccess from another client closes the task",
    "[engine][lambda][callback]") {
  InThreadFunction function("receiver", receive);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine("sm", callback_definition("receiver"));
  const auto run = f.start(sm, "r", R"({"order": 7})");
  const auto token = token_of(function);
  CHECK(function.seen().at(0).event.at("input") == nlohmann::json{{"order", 7}});
  REQUIRE(wait_until([&] { return count_events(f.history(run), "TaskSubmitted") == 1; }));
  // Waiting for the token, not for the function.
  CHECK(f.status(run) == "RUNNING");

  f.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"({"shipped": true})"}});
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  CHECK(f.describe(run)["output"] == R"({"shipped":true})");

  const auto history = f.history(run);
  CHECK(f.event_types(run) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                       "TaskScheduled", "TaskStarted",
                                                       "TaskSubmitted", "TaskSucceeded",
                                                       "TaskStateExited", "ExecutionSucceeded"});
  for (std::size_t i = 2; i < 6; ++i) CHECK(history[i]["previousEventId"] == history[i - 1]["id"]);
  const auto& scheduled = history[2]["taskScheduledEventDetails"];
  CHECK(scheduled["resourceType"] == "lambda");
  CHECK(scheduled["resource"] == "invoke.waitForTaskToken");
  CHECK(nlohmann::json::parse(scheduled["parameters"].get<std::string>())["Payload"]["token"] ==
        token);
  const auto& submitted = history[4]["taskSubmittedEventDetails"];
  CHECK(submitted["resource"] == "invoke.waitForTaskToken");
  CHECK(submitted["outputDetails"]["truncated"] == false);
  const auto response = nlohmann::json::parse(submitted["output"].get<std::string>());
  CHECK(response["Payload"] == nlohmann::json{{"received", true}});
  CHECK(response["StatusCode"] == 200);
  CHECK(response["ExecutedVersion"] == "$LATEST");
  CHECK(history[5]["taskSucceededEventDetails"]["output"] == R"({"shipped":true})");

  check_token_closed(f, token);
}

TEST_CASE("callback: SendTaskFailure fails the task with its error and cause",
          "[engine][lambda][callback]") {
  InThreadFunction function("receiver", receive);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine("sm", callback_definition("receiver"));
  const auto run = f.start(sm, "r");
  const auto token = token_of(function);
  REQUIRE(wait_until([&] { return count_events(f.history(run), "TaskSubmitted") == 1; }));
  f.call("SendTaskFailure", {{"taskToken", token}, {"error", "Oops"}, {"cause", "it broke"}});
  REQUIRE(f.wait_for_status(run, "FAILED"));
  CHECK(f.describe(run)["error"] == "Oops");
  CHECK(f.describe(run)["cause"] == "it broke");
  const auto failed = find_event(f.history(run), "TaskFailed");
  REQUIRE(failed.is_object());
  CHECK(failed["taskFailedEventDetails"]["error"] == "Oops");
  CHECK(failed["taskFailedEventDetails"]["cause"] == "it broke");
  CHECK(failed["taskFailedEventDetails"]["resource"] == "invoke.waitForTaskToken");
  check_token_closed(f, token);
}

TEST_CASE("callback: heartbeats keep the task alive past HeartbeatSeconds",
          "[engine][lambda][callback][timers]") {
  InThreadFunction function("receiver", receive);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm =
      f.create_state_machine("sm", callback_definition("receiver", R"("HeartbeatSeconds": 1)"));
  const auto run = f.start(sm, "r");
  const auto token = token_of(function);
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(300ms);
    f.call("SendTaskHeartbeat", {{"taskToken", token}});
  }
  CHECK(f.status(run) == "RUNNING");
  f.call("SendTaskSuccess", {{"taskToken", token}, {"output", "1"}});
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
}

TEST_CASE("callback: a missed heartbeat times the task out with States.Timeout",
          "[engine][lambda][callback][timers]") {
  InThreadFunction function("receiver", receive);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine(
      "sm", callback_definition("receiver", R"("TimeoutSeconds": 60, "HeartbeatSeconds": 1)"));
  const auto run = f.start(sm, "r");
  const auto token = token_of(function);
  REQUIRE(f.wait_for_status(run, "FAILED", 5s));
  CHECK(f.describe(run)["error"] == "States.Timeout");
  CHECK(f.event_types(run) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                       "TaskScheduled", "TaskStarted",
                                                       "TaskSubmitted", "TaskTimedOut",
                                                       "ExecutionFailed"});
  const auto timed_out = find_event(f.history(run), "TaskTimedOut");
  REQUIRE(timed_out.is_object());
  CHECK(timed_out["taskTimedOutEventDetails"]["error"] == "States.Timeout");
  CHECK(!timed_out["taskTimedOutEventDetails"].contains("cause"));
  check_token_closed(f, token);
}

TEST_CASE("callback: TimeoutSeconds ends a task whose token nobody answers",
          "[engine][lambda][callback][timers]") {
  InThreadFunction function("receiver", receive);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm =
      f.create_state_machine("sm", callback_definition("receiver", R"("TimeoutSeconds": 1)"));
  const auto run = f.start(sm, "r");
  const auto token = token_of(function);
  REQUIRE(f.wait_for_status(run, "FAILED", 5s));
  CHECK(f.describe(run)["error"] == "States.Timeout");
  CHECK(count_events(f.history(run), "TaskSubmitted") == 1);
  check_token_closed(f, token);
}

TEST_CASE("callback: a failed invocation fails the task without TaskSubmitted",
          "[engine][lambda][callback]") {
  const std::string payload = R"({"errorMessage":"no luck","errorType":"Boom"})";
  InThreadFunction function("flaky", [&](const nlohmann::json& event, int previous) {
    if (previous == 0) return FunctionAction{Kind::kError, payload, "Boom", {}};
    if (previous == 1) return FunctionAction{Kind::kExit, "", "", {}};
    return receive(event, previous);
  });
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine(
      "sm", callback_definition("flaky", R"("Retry": [{"ErrorEquals": ["States.ALL"],
                                          "IntervalSeconds": 1, "MaxAttempts": 2}])"));
  const auto run = f.start(sm, "r");
  // The third attempt's invocation succeeds; its token is answered.
  const auto token = token_of(function, 2);
  REQUIRE(wait_until([&] { return count_events(f.history(run), "TaskSubmitted") == 1; }));
  f.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"("third")"}});
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  CHECK(f.event_types(run) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                 "TaskStarted", "TaskFailed", "TaskScheduled", "TaskStarted",
                                 "TaskFailed", "TaskScheduled", "TaskStarted", "TaskSubmitted",
                                 "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"});
  const auto history = f.history(run);
  CHECK(history[4]["taskFailedEventDetails"]["error"] == "Boom");
  CHECK(history[4]["taskFailedEventDetails"]["cause"] == payload);
  // The environment's exit: Lambda.Unknown with Runtime.ExitError in the cause.
  CHECK(history[7]["taskFailedEventDetails"]["error"] == "Lambda.Unknown");
  CHECK(history[7]["taskFailedEventDetails"]["cause"].get<std::string>().find(
            "Runtime.ExitError") != std::string::npos);
  // Each attempt has its own token; the failed ones are closed.
  check_token_closed(f, token_of(function, 0));
}

TEST_CASE("callback: an unknown function fails the task with Lambda.ResourceNotFoundException",
          "[engine][lambda][callback]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("sm", callback_definition("nobody"));
  const auto run = f.start(sm, "r");
  REQUIRE(f.wait_for_status(run, "FAILED"));
  CHECK(f.describe(run)["error"] == "Lambda.ResourceNotFoundException");
  CHECK(f.event_types(run) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                       "TaskScheduled", "TaskStarted", "TaskFailed",
                                                       "ExecutionFailed"});
}

TEST_CASE("callback: a function that answers its own token before returning closes the task",
          "[engine][lambda][callback]") {
  ServiceFixture* service = nullptr;
  // Declared before the service, which must go first (lambda_test_support.hpp).
  InThreadFunction function("self", [&](const nlohmann::json& event, int /*previous*/) {
    // The handler calls SendTaskSuccess itself, then returns: its response
    // comes after the task closed and is dropped.
    service->call("SendTaskSuccess",
                  {{"taskToken", event.at("token")}, {"output", R"({"self": 1})"}});
    return FunctionAction{Kind::kRespond, "{}", "", {}};
  });
  ServiceFixture f;
  service = &f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine("sm", callback_definition("self"));
  const auto run = f.start(sm, "r");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  CHECK(f.describe(run)["output"] == R"({"self":1})");
  // The response arrives after the task closed: dropped, nothing recorded.
  REQUIRE(wait_until([&] { return function.seen().size() == 1; }));
  std::this_thread::sleep_for(100ms);
  CHECK(f.event_types(run) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                       "TaskScheduled", "TaskStarted",
                                                       "TaskSucceeded", "TaskStateExited",
                                                       "ExecutionSucceeded"});
}

TEST_CASE("callback: SendTaskSuccess with output that is not JSON leaves the task open",
          "[engine][lambda][callback]") {
  InThreadFunction function("receiver", receive);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine("sm", callback_definition("receiver"));
  const auto run = f.start(sm, "r");
  const auto token = token_of(function);
  const auto error = service_error([&] {
    f.call("SendTaskSuccess", {{"taskToken", token}, {"output", "{"}});
  });
  CHECK(error.type() == "InvalidOutput");
  CHECK(f.status(run) == "RUNNING");
  f.call("SendTaskSuccess", {{"taskToken", token}, {"output", "{}"}});
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  // A token the engine never issued.
  CHECK(service_error([&] {
          f.call("SendTaskSuccess", {{"taskToken", token + "x"}, {"output", "{}"}});
        }).type() == "InvalidToken");
}
