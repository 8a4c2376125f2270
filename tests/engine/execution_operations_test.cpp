#include <set>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

TEST_CASE("StartExecution runs a Pass machine and DescribeExecution reports it",
          "[engine][executions]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  const auto started = f.call(
      "StartExecution", {{"stateMachineArn", sm}, {"name", "run-1"}, {"input", R"({"a": 1})"}});
  CHECK(started["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:orders:run-1");
  CHECK(started["startDate"].is_number());

  const auto described = f.describe(started["executionArn"]);
  CHECK(described["status"] == "SUCCEEDED");
  CHECK(described["stateMachineArn"] == sm);
  CHECK(described["name"] == "run-1");
  CHECK(described["input"] == R"({"a": 1})");
  CHECK(described["inputDetails"]["included"] == true);
  CHECK(nlohmann::json::parse(described["output"].get<std::string>()) ==
        nlohmann::json{{"done", true}});
  CHECK(described["startDate"] == started["startDate"]);
  CHECK(described["stopDate"].get<double>() >= described["startDate"].get<double>());
  CHECK_FALSE(described.contains("error"));
}

TEST_CASE("StartExecution defaults: a UUID name and {} input", "[engine][executions]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  const auto arn =
      f.call("StartExecution", {{"stateMachineArn", sm}})["executionArn"].get<std::string>();
  const auto described = f.describe(arn);
  const auto name = described["name"].get<std::string>();
  CHECK(name.size() == 36);
  CHECK(name[8] == '-');
  CHECK(name[14] == '4');
  CHECK(described["input"] == "{}");
  // Any JSON text is a valid input, not only objects.
  CHECK(f.status(f.start(sm, "array", "[1, 2]")) == "SUCCEEDED");
}

TEST_CASE("StartExecution is idempotent only for the same input while running",
          "[engine][executions]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  const nlohmann::json request = {
      {"stateMachineArn", sm}, {"name", "once"}, {"input", R"({"x": 1})"}};
  const auto first = f.call("StartExecution", request);
  CHECK(f.call("StartExecution", request) == first);

  auto different = request;
  different["input"] = R"({"x": 2})";
  auto error = service_error([&] { f.call("StartExecution", different); });
  CHECK(error.type() == "ExecutionAlreadyExists");
  CHECK(error.message() ==
        "Execution Already Exists: '" + first["executionArn"].get<std::string>() + "'");

  f.call("StopExecution", {{"executionArn", first["executionArn"]}});
  error = service_error([&] { f.call("StartExecution", request); });
  CHECK(error.type() == "ExecutionAlreadyExists");
}

TEST_CASE("StartExecution errors", "[engine][executions]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  auto error = service_error([&] { f.start(sm, "bad", "{nope"); });
  CHECK(error.type() == "InvalidExecutionInput");
  CHECK(error.message().rfind("Invalid State Machine Execution Input: '", 0) == 0);
  const std::string big = "\"" + std::string(262'144, 'x') + "\"";
  CHECK(service_error([&] { f.start(sm, "big", big); }).type() == "InvalidExecutionInput");
  const std::string just_fits = "\"" + std::string(262'142, 'x') + "\"";
  CHECK(f.status(f.start(sm, "fits", just_fits)) == "SUCCEEDED");

  CHECK(service_error([&] { f.start(sm, "bad name"); }).type() == "InvalidName");
  CHECK(service_error([&] { f.start(sm, std::string(81, 'n')); }).type() == "InvalidName");
  CHECK(service_error([&] {
          f.start("arn:aws:states:us-east-1:123456789012:stateMachine:none", "x");
        }).type() == "StateMachineDoesNotExist");
  CHECK(service_error([&] { f.start("bogus", "x"); }).type() == "InvalidArn");
  CHECK(service_error([&] {
          f.call("StartExecution", {{"stateMachineArn", sm}, {"input", 5}});
        }).type() == "ValidationException");
}

TEST_CASE("DescribeExecution errors", "[engine][executions]") {
  ServiceFixture f;
  const std::string missing = "arn:aws:states:us-east-1:123456789012:execution:orders:none";
  auto error = service_error([&] { f.describe(missing); });
  CHECK(error.type() == "ExecutionDoesNotExist");
  CHECK(error.message() == "Execution Does Not Exist: '" + missing + "'");
  CHECK(service_error([&] {
          f.describe("arn:aws:states:us-east-1:123456789012:stateMachine:orders");
        }).type() == "InvalidArn");
}

TEST_CASE("StopExecution aborts a running execution and closes its task", "[engine][executions]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  const auto run = f.start(sm, "stop-me");
  const auto task = f.poll(activity);
  REQUIRE(task);

  const auto stopped = f.call(
      "StopExecution", {{"executionArn", run}, {"error", "Operator.Stop"}, {"cause", "testing"}});
  CHECK(stopped["stopDate"].is_number());
  const auto described = f.describe(run);
  CHECK(described["status"] == "ABORTED");
  CHECK(described["error"] == "Operator.Stop");
  CHECK(described["cause"] == "testing");
  CHECK(described["stopDate"] == stopped["stopDate"]);
  CHECK(f.event_types(run).back() == "ExecutionAborted");

  const auto error = service_error([&] {
    f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", "{}"}});
  });
  CHECK(error.type() == "TaskTimedOut");
  CHECK(error.message() == "Task Timed Out: 'Provided task does not exist anymore'");

  // Stopping again changes nothing.
  CHECK(f.call("StopExecution", {{"executionArn", run}})["stopDate"] == stopped["stopDate"]);
  CHECK(service_error([&] {
          f.call("StopExecution", {{"executionArn", run}, {"error", std::string(257, 'e')}});
        }).type() == "ValidationException");
}

TEST_CASE("ListExecutions: newest first, status filter, paging", "[engine][executions][paging]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", pass_definition());
  for (int i = 0; i < 5; ++i) f.start(sm, "run-" + std::to_string(i));

  std::vector<std::string> names;
  nlohmann::json request = {{"stateMachineArn", sm}, {"maxResults", 2}};
  for (int page = 0; page < 10; ++page) {
    const auto response = f.call("ListExecutions", request);
    for (const auto& item : response["executions"]) {
      CHECK(item["status"] == "SUCCEEDED");
      CHECK(item["stateMachineArn"] == sm);
      CHECK(item.contains("stopDate"));
      names.push_back(item["name"]);
    }
    if (!response.contains("nextToken")) break;
    request["nextToken"] = response["nextToken"];
  }
  CHECK(names == std::vector<std::string>{"run-4", "run-3", "run-2", "run-1", "run-0"});

  f.call("UpdateStateMachine",
         {{"stateMachineArn", sm}, {"definition", task_definition(activity)}});
  f.start(sm, "running");
  const auto running =
      f.call("ListExecutions", {{"stateMachineArn", sm}, {"statusFilter", "RUNNING"}});
  REQUIRE(running["executions"].size() == 1);
  CHECK(running["executions"][0]["name"] == "running");
  CHECK_FALSE(running["executions"][0].contains("stopDate"));
  CHECK(
      f.call("ListExecutions", {{"stateMachineArn", sm}, {"statusFilter", "FAILED"}})["executions"]
          .empty());
  CHECK(service_error([&] {
          f.call("ListExecutions", {{"stateMachineArn", sm}, {"statusFilter", "SLEEPING"}});
        }).message() ==
        "1 validation error detected: Value 'SLEEPING' at 'statusFilter' failed to satisfy "
        "constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, "
        "ABORTED, FAILED, RUNNING]");
  CHECK(f.call("ListExecutions",
               {{"stateMachineArn", sm}, {"statusFilter", "PENDING_REDRIVE"}})["executions"]
            .empty());
  // nextToken's length is checked before the token (the service model: 3096
  // for ListExecutions, 1024 elsewhere).
  CHECK(
      service_error([&] {
        f.call("ListExecutions", {{"stateMachineArn", sm}, {"nextToken", std::string(3097, 'x')}});
      }).message() ==
      "1 validation error detected: Value '" + std::string(3097, 'x') +
          "' at 'nextToken' failed to satisfy constraint: Member must have length less than or "
          "equal to 3096");
  CHECK(service_error([&] {
          f.call("ListStateMachines", {{"nextToken", std::string(1025, 'x')}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("ListExecutions", {{"stateMachineArn", sm}, {"nextToken", "00ff"}});
        }).type() == "InvalidToken");
  CHECK(service_error([&] { f.call("ListExecutions", nlohmann::json::object()); }).type() ==
        "ValidationException");
}

TEST_CASE("Wait states fire on the timer thread", "[engine][executions][timers]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine(
      "waiting",
      R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}})");
  const auto run = f.start(sm, "w");
  CHECK(f.status(run) == "RUNNING");
  CHECK(f.wait_for_status(run, "SUCCEEDED", std::chrono::seconds(5)));
}

TEST_CASE("Tasks on resources the engine cannot run fail the execution cleanly",
          "[engine][executions]") {
  ServiceFixture f;
  // Lambda functions run when registered (lambda_function_test.cpp); other
  // service integrations do not run locally.
  const std::string sqs = "arn:aws:states:::sqs:sendMessage";
  const auto sm = f.create_state_machine(
      "sqs",
      task_definition(sqs, R"("Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}])"));
  const auto run = f.start(sm, "l");
  REQUIRE(f.wait_for_status(run, "FAILED", std::chrono::seconds(5)));
  const auto described = f.describe(run);
  CHECK(described["error"] == "States.Runtime");
  CHECK(described["cause"] ==
        "Service integrations are not supported by the local engine yet: '" + sqs + "'");
  const auto types = f.event_types(run);
  CHECK(std::count(types.begin(), types.end(), "TaskStartFailed") == 1);

  // lambda:invoke.waitForTaskToken runs (callback_task_test.cpp); a function
  // that is not registered fails as Lambda's Invoke does.
  const std::string callback = "arn:aws:states:::lambda:invoke.waitForTaskToken";
  const auto sm3 = f.create_state_machine(
      "callback", task_definition(callback, R"("Parameters": {"FunctionName": "f"})"));
  const auto run3 = f.start(sm3, "c");
  REQUIRE(f.wait_for_status(run3, "FAILED", std::chrono::seconds(5)));
  CHECK(f.describe(run3)["error"] == "Lambda.ResourceNotFoundException");

  const std::string missing = "arn:aws:states:us-east-1:123456789012:activity:missing";
  const auto sm2 = f.create_state_machine("missing-activity", task_definition(missing));
  const auto run2 = f.start(sm2, "m");
  REQUIRE(f.wait_for_status(run2, "FAILED", std::chrono::seconds(5)));
  // Recorded on AWS: States.Runtime with the state prefix, before anything is
  // scheduled.
  const auto described2 = f.describe(run2);
  CHECK(described2["error"] == "States.Runtime");
  CHECK(described2["cause"] ==
        "An error occurred while executing the state 'Work' (entered at the event id #2). "
        "The activity " +
            missing + " does not exist.");
  CHECK(f.event_types(run2) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"});
}

TEST_CASE("GetExecutionHistory pages forward and in reverse", "[engine][history][paging]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  const auto run = f.start(sm, "h");
  const auto all = f.history(run);
  REQUIRE(all.size() >= 4);
  CHECK(all.front()["type"] == "ExecutionStarted");
  CHECK(all.back()["type"] == "ExecutionSucceeded");
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i]["id"] == i + 1);
    CHECK(all[i].contains("timestamp"));
  }

  for (const bool reverse : {false, true}) {
    CAPTURE(reverse);
    std::vector<int> ids;
    nlohmann::json request = {{"executionArn", run}, {"maxResults", 3}, {"reverseOrder", reverse}};
    for (int page = 0; page < 10; ++page) {
      const auto response = f.call("GetExecutionHistory", request);
      CHECK(response["events"].size() <= 3);
      for (const auto& event : response["events"]) ids.push_back(event["id"]);
      if (!response.contains("nextToken")) break;
      request["nextToken"] = response["nextToken"];
    }
    std::vector<int> expected;
    for (std::size_t i = 0; i < all.size(); ++i) expected.push_back(static_cast<int>(i) + 1);
    if (reverse) std::reverse(expected.begin(), expected.end());
    CHECK(ids == expected);
  }

  // maxResults 0 means the default page of 100.
  CHECK(
      f.call("GetExecutionHistory", {{"executionArn", run}, {"maxResults", 0}})["events"].size() ==
      all.size());
  const auto first_page = f.call("GetExecutionHistory", {{"executionArn", run}, {"maxResults", 1}});
  auto error = service_error([&] {
    f.call("GetExecutionHistory",
           {{"executionArn", run}, {"reverseOrder", true}, {"nextToken", first_page["nextToken"]}});
  });
  CHECK(error.type() == "InvalidToken");
  error = service_error([&] {
    f.call("GetExecutionHistory", {{"executionArn", run}, {"nextToken", "not-a-token"}});
  });
  CHECK(error.type() == "InvalidToken");
  CHECK(error.message() == "Invalid Token: 'not-a-token'");
  CHECK(service_error([&] {
          f.call("GetExecutionHistory", {{"executionArn", run}, {"maxResults", 1001}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("GetExecutionHistory",
                 {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:orders:none"}});
        }).type() == "ExecutionDoesNotExist");
}
