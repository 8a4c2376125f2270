#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

namespace {

nlohmann::json validate(ServiceFixture& f, const std::string& definition,
                        const std::string& type = "STANDARD") {
  return f.call("ValidateStateMachineDefinition", {{"definition", definition}, {"type", type}});
}

}  // namespace

TEST_CASE("ValidateStateMachineDefinition answers OK for a valid definition",
          "[engine][validate]") {
  ServiceFixture f;
  const nlohmann::json ok = {
      {"result", "OK"}, {"diagnostics", nlohmann::json::array()}, {"truncated", false}};
  CHECK(validate(f, pass_definition()) == ok);
  CHECK(validate(f, pass_definition(), "EXPRESS") == ok);
  CHECK(f.call("ValidateStateMachineDefinition", {{"definition", pass_definition()}}) == ok);
}

TEST_CASE("ValidateStateMachineDefinition reports the first violation in AWS's shape",
          "[engine][validate]") {
  ServiceFixture f;
  auto response =
      validate(f, R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})");
  CHECK(response["result"] == "FAIL");
  CHECK(response["truncated"] == false);
  REQUIRE(response["diagnostics"].size() == 1);
  const auto& diagnostic = response["diagnostics"][0];
  CHECK(diagnostic["severity"] == "ERROR");
  CHECK(diagnostic["code"] == "SCHEMA_VALIDATION_FAILED");
  CHECK(diagnostic["location"] == "/States/A/Next");
  CHECK(diagnostic["message"] == "no state named 'B'");

  // The text CreateStateMachine would have answered with, as data.
  const auto error = service_error([&] {
    f.call("CreateStateMachine",
           {{"name", "x"},
            {"definition", R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})"},
            {"roleArn", kRoleArn}});
  });
  CHECK(error.message() ==
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: no state named 'B' at "
        "/States/A/Next'");

  response = validate(f, R"({"States": {"A": {"Type": "Pass", "End": true}}})");
  CHECK(response["diagnostics"][0]["location"] == "/");
  CHECK(response["diagnostics"][0]["code"] == "SCHEMA_VALIDATION_FAILED");
  // AWS's words, every missing field at once (test_sfn_api_validation).
  CHECK(response["diagnostics"][0]["message"] == "These fields are required: [StartAt]");
  CHECK(validate(f, "{}")["diagnostics"][0]["message"] ==
        "These fields are required: [States, StartAt]");
  const auto no_states = service_error([&] {
    f.call("CreateStateMachine",
           {{"name", "y"}, {"definition", R"({"StartAt": "A"})"}, {"roleArn", kRoleArn}});
  });
  CHECK(no_states.message() ==
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: "
        "[States] at /'");
}

TEST_CASE("ValidateStateMachineDefinition on text that is not a JSON object",
          "[engine][validate]") {
  ServiceFixture f;
  // test_sfn_api_validation: the empty string and an empty object.
  auto response = validate(f, "");
  CHECK(response["result"] == "FAIL");
  CHECK(response["diagnostics"][0] ==
        nlohmann::json{{"severity", "ERROR"},
                       {"code", "SCHEMA_VALIDATION_FAILED"},
                       {"message", "Definition must be a valid JSON object"}});
  response = validate(f, "[1, 2]");
  CHECK(response["diagnostics"][0]["message"] == "Definition must be a valid JSON object");

  response = validate(f, "not a definition");
  const auto& diagnostic = response["diagnostics"][0];
  CHECK(diagnostic["code"] == "INVALID_JSON_DESCRIPTION");
  // Jackson's words and source, as the NOT_A_DEF recording shows them.
  const std::string source = R"J([Source: (String)"not a definition"; line: 1, column: 4])J";
  CHECK(diagnostic["location"] == source);
  CHECK(diagnostic["message"] ==
        "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token "
        "'null', 'true' or 'false')\n at " +
            source);
  // Other syntax errors keep our parser's words and position.
  const auto truncated = validate(f, R"J({"StartAt": )J")["diagnostics"][0];
  CHECK(truncated["code"] == "INVALID_JSON_DESCRIPTION");
  CHECK(truncated["location"] == "line 1, column 13");
  CHECK(truncated["message"].get<std::string>().find("[json.exception") == std::string::npos);
}

TEST_CASE("StartExecution answers bad input in AWS's words", "[engine][validate]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("input", pass_definition());
  const auto start = [&](const std::string& input) {
    return service_error([&] {
      f.call("StartExecution", {{"stateMachineArn", sm}, {"input", input}});
    });
  };
  // test_sfn_api: test_invalid_start_execution_input.
  CHECK(start("not some json").message() ==
        "Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting (JSON "
        "String, Number, Array, Object or token 'null', 'true' or 'false')'");
  CHECK(start("{'not': 'json'").message() ==
        "Invalid State Machine Execution Input: 'Unexpected character (''' (code 39)): was "
        "expecting double-quote to start field name'");
  CHECK(start("").message() == "Invalid State Machine Execution Input: 'Invalid execution input.'");
  CHECK(start("[1, 2").type() == "InvalidExecutionInput");
}

TEST_CASE("ValidateStateMachineDefinition applies the EXPRESS rules for type EXPRESS",
          "[engine][validate][express]") {
  ServiceFixture f;
  const auto activity = task_definition("arn:aws:states:us-east-1:123456789012:activity:resize");
  CHECK(validate(f, activity)["result"] == "OK");
  auto response = validate(f, activity, "EXPRESS");
  CHECK(response["result"] == "FAIL");
  CHECK(response["diagnostics"][0]["location"] == "/States/Work/Resource");
  CHECK(response["diagnostics"][0]["message"] ==
        "Express state machine does not support Activity ARN");

  const auto callback = task_definition("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                        R"("Parameters": {"QueueUrl": "q", "MessageBody.$": "$"})");
  CHECK(validate(f, callback, "EXPRESS")["diagnostics"][0]["message"] ==
        "Express state machine does not support '.waitForTaskToken' service integration ");
}

TEST_CASE("ValidateStateMachineDefinition checks its own request", "[engine][validate]") {
  ServiceFixture f;
  CHECK(service_error([&] {
          f.call("ValidateStateMachineDefinition", nlohmann::json::object());
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("ValidateStateMachineDefinition",
                 {{"definition", pass_definition()}, {"type", "FAST"}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("ValidateStateMachineDefinition",
                 {{"definition", pass_definition()}, {"severity", "INFO"}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("ValidateStateMachineDefinition",
                 {{"definition", pass_definition()}, {"maxResults", 101}});
        }).type() == "ValidationException");
  CHECK(f.call("ValidateStateMachineDefinition", {{"definition", pass_definition()},
                                                  {"severity", "WARNING"},
                                                  {"maxResults", 0}})["result"] == "OK");
}
