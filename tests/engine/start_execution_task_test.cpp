// The states:startExecution integration beyond what the fidelity corpus
// (tests/fidelity/cases/nested) pins: the callback pattern, a stopped
// parent's child, a .sync task answered on its token, the Input forms.

#include "start_execution_task.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using nlohmann::json;

namespace {

std::string nested_parent(const std::string& resource, const json& parameters) {
  return json{{"StartAt", "Start"},
              {"States",
               {{"Start",
                 {{"Type", "Task"},
                  {"Resource", "arn:aws:states:::states:" + resource},
                  {"Parameters", parameters},
                  {"End", true}}}}}}
      .dump();
}

const std::string kWaitChild =
    R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}})";

/// True once the parent's last event is TaskSubmitted: its child started and
/// the task waits (10 s at most).
bool waits_for_its_child(ServiceFixture& f, const std::string& execution_arn) {
  return wait_until([&] {
    const auto types = f.event_types(execution_arn);
    return !types.empty() && types.back() == "TaskSubmitted";
  });
}

json output_of(ServiceFixture& f, const std::string& execution_arn) {
  return json::parse(f.describe(execution_arn)["output"].get<std::string>());
}

}  // namespace

TEST_CASE("the states:startExecution patterns are read from the Resource",
          "[engine][start-execution]") {
  using Pattern = StartExecutionPattern;
  CHECK(start_execution_pattern("arn:aws:states:::states:startExecution") ==
        Pattern::kRequestResponse);
  CHECK(start_execution_pattern("arn:aws:states:::states:startExecution.sync") == Pattern::kSync);
  CHECK(start_execution_pattern("arn:aws:states:::states:startExecution.sync:2") ==
        Pattern::kSync2);
  CHECK(start_execution_pattern("arn:aws-cn:states:::states:startExecution.waitForTaskToken") ==
        Pattern::kWaitForTaskToken);
  CHECK_FALSE(start_execution_pattern("arn:aws:states:::lambda:invoke"));
  CHECK_FALSE(start_execution_pattern("arn:aws:states:::states:startExecution.sync:3"));
  CHECK_FALSE(start_execution_pattern("arn:aws:states:::aws-sdk:sfn:startExecution"));
}

TEST_CASE("a child started with a string Input receives that text as its input",
          "[engine][start-execution]") {
  ServiceFixture f;
  const auto child = f.create_state_machine(
      "child", R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  const auto parent = f.create_state_machine(
      "parent", nested_parent("startExecution.sync:2",
                              {{"StateMachineArn", child}, {"Input", R"({"from": "text"})"}}));
  const auto execution = f.start(parent, "p1");
  REQUIRE(f.wait_for_status(execution, "SUCCEEDED"));
  const auto description = output_of(f, execution);
  CHECK(description["Input"] == json{{"from", "text"}});
  CHECK(description["Output"] == json{{"from", "text"}});
  CHECK(description["Status"] == "SUCCEEDED");
  CHECK(description["StartDate"].is_number_integer());
  CHECK(description["Name"].get<std::string>().size() == 36);  // no Name: a UUID
}

TEST_CASE("startExecution.waitForTaskToken waits for the token the child answers",
          "[engine][start-execution]") {
  ServiceFixture f;
  const auto child = f.create_state_machine("child", kWaitChild);
  const auto parent = f.create_state_machine(
      "parent",
      nested_parent("startExecution.waitForTaskToken",
                    {{"StateMachineArn", child}, {"Input", {{"token.$", "$$.Task.Token"}}}}));
  const auto execution = f.start(parent, "p1");
  std::string child_arn = "arn:aws:states:us-east-1:123456789012:execution:child:";
  json child_input;
  REQUIRE(wait_until([&] {
    const auto children = f.call("ListExecutions", {{"stateMachineArn", child}})["executions"];
    if (children.empty()) return false;
    child_arn = children[0]["executionArn"];
    return true;
  }));
  REQUIRE(waits_for_its_child(f, execution));
  child_input = json::parse(f.describe(child_arn)["input"].get<std::string>());
  f.call("SendTaskSuccess",
         {{"taskToken", child_input["token"]}, {"output", R"({"answered": true})"}});
  REQUIRE(f.wait_for_status(execution, "SUCCEEDED"));
  CHECK(output_of(f, execution) == json{{"answered", true}});
  CHECK(f.status(child_arn) == "RUNNING");  // the callback pattern does not wait for the child
}

TEST_CASE("stopping a parent stops the child its .sync task waits for",
          "[engine][start-execution]") {
  ServiceFixture f;
  const auto child = f.create_state_machine("child", kWaitChild);
  const auto parent = f.create_state_machine(
      "parent", nested_parent("startExecution.sync", {{"StateMachineArn", child}, {"Name", "c"}}));
  const auto execution = f.start(parent, "p1");
  const std::string child_arn = "arn:aws:states:us-east-1:123456789012:execution:child:c";
  REQUIRE(waits_for_its_child(f, execution));
  CHECK(f.status(child_arn) == "RUNNING");
  f.call("StopExecution", {{"executionArn", execution}});
  CHECK(f.wait_for_status(child_arn, "ABORTED"));
  CHECK(f.status(execution) == "ABORTED");
}

TEST_CASE("a .sync task's token ends it before its child does", "[engine][start-execution]") {
  ServiceFixture f;
  const auto child = f.create_state_machine("child", kWaitChild);
  const auto parent = f.create_state_machine(
      "parent", nested_parent("startExecution.sync", {{"StateMachineArn", child},
                                                      {"Name", "c"},
                                                      {"Input", {{"token.$", "$$.Task.Token"}}}}));
  const auto execution = f.start(parent, "p1");
  const std::string child_arn = "arn:aws:states:us-east-1:123456789012:execution:child:c";
  REQUIRE(waits_for_its_child(f, execution));
  const auto token = json::parse(f.describe(child_arn)["input"].get<std::string>())["token"];
  f.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"("early")"}});
  REQUIRE(f.wait_for_status(execution, "SUCCEEDED"));
  CHECK(output_of(f, execution) == "early");
  // The task ended normally: the child is left to run (nothing cancelled it).
  CHECK(f.status(child_arn) == "RUNNING");
}

TEST_CASE("a child that cannot start fails the task with the SDK's error",
          "[engine][start-execution]") {
  ServiceFixture f;
  const auto child = f.create_state_machine(
      "child", R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  const auto parent = f.create_state_machine(
      "parent", nested_parent("startExecution", {{"StateMachineArn", child},
                                                 {"Name", "not a valid name"},
                                                 {"Input", json::object()}}));
  const auto execution = f.start(parent, "p1");
  REQUIRE(f.wait_for_status(execution, "FAILED"));
  const auto described = f.describe(execution);
  CHECK(described["error"] == "StepFunctions.InvalidNameException");
  CHECK_THAT(described["cause"].get<std::string>(),
             Catch::Contains("(Service: AWSStepFunctions; Status Code: 400; Error Code: "
                             "InvalidName; Request ID: "));
}

TEST_CASE("a workflow that starts itself without end stops at the nesting bound",
          "[engine][start-execution]") {
  ServiceFixture f;
  const auto machine = f.create_state_machine(
      "again", nested_parent("startExecution", {{"StateMachineArn.$", "$$.StateMachine.Id"}}));
  f.start(machine, "root");
  json executions;
  REQUIRE(wait_until(
      [&] {
        executions = f.call("ListExecutions",
                            {{"stateMachineArn", machine}, {"maxResults", 1000}})["executions"];
        for (const auto& execution : executions) {
          if (execution["status"] == "FAILED") return true;
        }
        return false;
      },
      std::chrono::seconds(30)));
  CHECK(executions.size() == kMaxNestingDepth + 1);
  std::size_t failed = 0;
  for (const auto& execution : executions) {
    if (execution["status"] != "FAILED") continue;
    ++failed;
    const auto described = f.describe(execution["executionArn"]);
    CHECK(described["error"] == "StepFunctions.ExecutionLimitExceededException");
    CHECK_THAT(described["cause"].get<std::string>(), Catch::Contains("at most 100 levels deep"));
  }
  CHECK(failed == 1);
}

TEST_CASE("a .sync task waits for an EXPRESS child too", "[engine][start-execution]") {
  ServiceFixture f;
  const auto child =
      f.call("CreateStateMachine",
             {{"name", "express-child"},
              {"type", "EXPRESS"},
              {"definition",
               R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 7, "End": true}}})"},
              {"roleArn", kRoleArn}})["stateMachineArn"]
          .get<std::string>();
  const auto parent = f.create_state_machine(
      "parent", nested_parent("startExecution.sync:2", {{"StateMachineArn", child}}));
  const auto execution = f.start(parent, "p1");
  REQUIRE(f.wait_for_status(execution, "SUCCEEDED"));
  const auto description = output_of(f, execution);
  CHECK(description["Status"] == "SUCCEEDED");
  CHECK(description["Output"] == 7);
  CHECK(description["ExecutionArn"].get<std::string>().find(":express:express-child:") !=
        std::string::npos);
}
