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
        "Invalid State Machine Definition: '/States/A/Next: no state named 'B''");

  response = validate(f, R"({"States": {"A": {"Type": "Pass", "End": true}}})");
  CHECK(response["diagnostics"][0]["location"] == "/");
  CHECK(response["diagnostics"][0]["code"] == "SCHEMA_VALIDATION_FAILED");
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
  CHECK(diagnostic["location"] == "line 1, column 2");
  CHECK(diagnostic["message"].get<std::string>().find("[json.exception") == std::string::npos);
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
        "Express state machine does not support '.waitForTaskToken' service integration");
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
