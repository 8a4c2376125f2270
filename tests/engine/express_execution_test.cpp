#include <regex>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

namespace {

std::string create_express(ServiceFixture& f, const std::string& name,
                           const std::string& definition) {
  return f
      .call("CreateStateMachine", {{"name", name},
                                   {"definition", definition},
                                   {"roleArn", kRoleArn},
                                   {"type", "EXPRESS"}})["stateMachineArn"]
      .get<std::string>();
}

const char* const kNotInThisContext =
    "Invalid Arn: 'Resource type not valid in this context: express'";

}  // namespace

TEST_CASE("EXPRESS state machines are created and described", "[engine][express]") {
  ServiceFixture f;
  const auto sm = create_express(f, "fast", pass_definition());
  const auto described = f.call("DescribeStateMachine", {{"stateMachineArn", sm}});
  CHECK(described["type"] == "EXPRESS");
  const auto listed = f.call("ListStateMachines", nlohmann::json::object())["stateMachines"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["type"] == "EXPRESS");
}

TEST_CASE("EXPRESS state machines refuse activities, callbacks and .sync", "[engine][express]") {
  ServiceFixture f;
  auto error = service_error([&] {
    create_express(f, "fast",
                   task_definition("arn:aws:states:us-east-1:123456789012:activity:resize"));
  });
  CHECK(error.type() == "InvalidDefinition");
  CHECK(error.message() ==
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does "
        "not support Activity ARN at /States/Work/Resource'");
  // Nested in a Parallel branch too.
  const std::string parallel = R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
      "Branches": [{"StartAt": "Run", "States": {"Run": {"Type": "Task",
      "Resource": "arn:aws:states:::states:startExecution.sync", "End": true}}}]}}})";
  error = service_error([&] { create_express(f, "fast", parallel); });
  CHECK(error.message().find("Express state machine does not support '.sync' service integration "
                             "at /States/P/Branches/0/States/Run/Resource") != std::string::npos);

  // UpdateStateMachine holds an EXPRESS state machine to the same rules.
  const auto sm = create_express(f, "fast", pass_definition());
  CHECK(service_error([&] {
          f.call("UpdateStateMachine",
                 {{"stateMachineArn", sm},
                  {"definition",
                   task_definition("arn:aws:states:us-east-1:123456789012:activity:resize")}});
        }).type() == "InvalidDefinition");
}

TEST_CASE("StartExecution runs an EXPRESS execution that the execution APIs do not serve",
          "[engine][express]") {
  ServiceFixture f;
  const auto sm = create_express(f, "fast", pass_definition());
  const auto started = f.call("StartExecution", {{"stateMachineArn", sm}, {"name", "run"}});
  const auto arn = started["executionArn"].get<std::string>();
  CHECK(std::regex_match(arn, std::regex("arn:aws:states:us-east-1:123456789012:express:fast:run:"
                                         "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                         "[0-9a-f]{12}")));
  CHECK(started["startDate"].is_number());
  // Express names need not be unique: each run has its own id.
  CHECK(f.call("StartExecution", {{"stateMachineArn", sm}, {"name", "run"}})["executionArn"] !=
        arn);

  // test_sfn_api_express: what AWS answers for an express execution.
  for (const auto* operation : {"DescribeExecution", "StopExecution", "GetExecutionHistory",
                                "DescribeStateMachineForExecution"}) {
    INFO(operation);
    const auto error = service_error([&] { f.call(operation, {{"executionArn", arn}}); });
    CHECK(error.type() == "InvalidArn");
    CHECK(error.message() == kNotInThisContext);
  }
  const auto error = service_error([&] { f.call("ListExecutions", {{"stateMachineArn", sm}}); });
  CHECK(error.type() == "StateMachineTypeNotSupported");
  CHECK(error.message() == "This operation is not supported by this type of state machine");
}

TEST_CASE("StartSyncExecution answers with the finished execution", "[engine][express]") {
  ServiceFixture f;
  const auto sm = create_express(f, "fast", pass_definition(R"({"Arg1": "argument1"})"));
  const auto response = f.call(
      "StartSyncExecution", {{"stateMachineArn", sm}, {"name", "once"}, {"input", R"({"a":1})"}});
  CHECK(response["status"] == "SUCCEEDED");
  CHECK(nlohmann::json::parse(response["output"].get<std::string>()) ==
        nlohmann::json{{"Arg1", "argument1"}});
  CHECK(response["outputDetails"] == nlohmann::json{{"included", true}});
  CHECK(response["input"] == R"({"a":1})");
  CHECK(response["inputDetails"] == nlohmann::json{{"included", true}});
  CHECK(response["name"] == "once");
  CHECK(response["stateMachineArn"] == sm);
  CHECK(response["executionArn"].get<std::string>().rfind(
            "arn:aws:states:us-east-1:123456789012:express:fast:once:", 0) == 0);
  CHECK(response["stopDate"].get<double>() >= response["startDate"].get<double>());
  CHECK(response["billingDetails"] ==
        nlohmann::json{{"billedDurationInMilliseconds", 100}, {"billedMemoryUsedInMB", 64}});
  CHECK_FALSE(response.contains("error"));
}

TEST_CASE("StartSyncExecution reports failures and timeouts", "[engine][express]") {
  ServiceFixture f;
  const auto failing = create_express(
      f, "failing",
      R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Oops", "Cause": "broken"}}})");
  auto response = f.call("StartSyncExecution", {{"stateMachineArn", failing}});
  CHECK(response["status"] == "FAILED");
  CHECK(response["error"] == "Oops");
  CHECK(response["cause"] == "broken");
  CHECK_FALSE(response.contains("output"));

  const auto slow = create_express(
      f, "slow",
      R"({"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}})");
  response = f.call("StartSyncExecution", {{"stateMachineArn", slow}});
  CHECK(response["status"] == "TIMED_OUT");
  CHECK(response["billingDetails"]["billedDurationInMilliseconds"].get<int>() >= 1000);
}

TEST_CASE("StartSyncExecution refuses STANDARD state machines", "[engine][express]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("standard", pass_definition());
  const auto error = service_error([&] {
    f.call("StartSyncExecution", {{"stateMachineArn", sm}});
  });
  CHECK(error.type() == "StateMachineTypeNotSupported");
  CHECK(error.message() == "This operation is not supported by this type of state machine");
  CHECK(service_error([&] {
          f.call("StartSyncExecution",
                 {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:no"}});
        }).type() == "StateMachineDoesNotExist");
  const auto express = create_express(f, "fast", pass_definition());
  CHECK(service_error([&] {
          f.call("StartSyncExecution", {{"stateMachineArn", express}, {"input", "{oops"}});
        }).type() == "InvalidExecutionInput");
}
