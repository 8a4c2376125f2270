#include "loveless/asl/definition.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "loveless/asl/errors.hpp"

#include "definition_violation.hpp"

using loveless::asl::Definition;
using loveless::asl::InvalidDefinition;
using loveless::asl::testing::Violation;
using loveless::asl::testing::violation_of;

namespace {

/// `{"StartAt": "<start>", "States": {<states>}}`.
std::string machine(const std::string& states, const std::string& start = "A") {
  return R"({"StartAt": ")" + start + R"(", "States": {)" + states + "}}";
}

/// A single Task state `A`, with `fields` added to it.
std::string task(const std::string& fields) {
  return machine(
      R"("A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", )" +
      fields + "}");
}

#define REQUIRE_INVALID(text, expected_path, expected_rule)      \
  do {                                                           \
    const std::string definition_text_ = (text);                 \
    INFO(definition_text_);                                      \
    const Violation violation_ = violation_of(definition_text_); \
    CHECK(violation_.path == (expected_path));                   \
    CHECK(violation_.rule == (expected_rule));                   \
  } while (false)

#define REQUIRE_VALID(text)                             \
  do {                                                  \
    const std::string definition_text_ = (text);        \
    INFO(definition_text_);                             \
    CHECK_NOTHROW(Definition::parse(definition_text_)); \
  } while (false)

std::string read_sample(const std::string& name) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "definitions" / name;
  std::ifstream in(path);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr const char* kResource =
    R"("Resource": "arn:aws:states:us-east-1:123456789012:activity:work")";

}  // namespace

// ---------------------------------------------------------------------------
// The two examples of the header, verbatim.

TEST_CASE("the documented messages are reproduced verbatim", "[definition]") {
  try {
    Definition::parse(machine(
        R"("Work": {"Type": "Task", )" + std::string(kResource) +
            R"(, "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]})",
        "Work"));
    FAIL("accepted");
  } catch (const InvalidDefinition& error) {
    CHECK(std::string(error.what()) ==
          "/States/Work/Retry/0: States.ALL must be alone and in the last retrier");
  }
  try {
    Definition::parse(machine(R"("A": {"Type": "Pass", "Next": "B"})"));
    FAIL("accepted");
  } catch (const InvalidDefinition& error) {
    CHECK(std::string(error.what()) == "/States/A/Next: no state named 'B'");
  }
}

// ---------------------------------------------------------------------------
// Parsing and the top level

TEST_CASE("text that is not JSON is reported at the root", "[definition]") {
  const Violation violation = violation_of(R"({"StartAt": )");
  CHECK(violation.path == "/");
  CHECK_THAT(violation.rule, Catch::StartsWith("not valid JSON: "));
  CHECK_THAT(violation.rule, !Catch::Contains("[json.exception"));
  CHECK(violation_of("").path == "/");
  CHECK_THAT(violation_of("{} trailing").rule, Catch::StartsWith("not valid JSON: "));
  const Violation huge_number = violation_of(R"({"StartAt": "A", "TimeoutSeconds": 1E400})");
  CHECK(huge_number.path == "/");
  CHECK_THAT(huge_number.rule, Catch::StartsWith("not valid JSON: "));
}

TEST_CASE("the top level must be an object with StartAt and States", "[definition]") {
  REQUIRE_INVALID("[]", "/", "a state machine must be a JSON object");
  REQUIRE_INVALID(R"({"States": {"A": {"Type": "Succeed"}}})", "/",
                  "These fields are required: [StartAt]");
  REQUIRE_INVALID(R"({"StartAt": "A"})", "/", "These fields are required: [States]");
  REQUIRE_INVALID("{}", "/", "These fields are required: [States, StartAt]");
  REQUIRE_INVALID(R"({"StartAt": 1, "States": {"A": {"Type": "Succeed"}}})", "/StartAt",
                  "StartAt must be a string");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Succeed"})", "B"), "/StartAt", "no state named 'B'");
  REQUIRE_INVALID(R"({"StartAt": "A", "States": []})", "/States", "States must be a JSON object");
  REQUIRE_INVALID(R"({"StartAt": "A", "States": {}})", "/States",
                  "States must contain at least one state");
}

TEST_CASE("top-level optional fields are checked", "[definition]") {
  const std::string states = R"("States": {"A": {"Type": "Succeed"}})";
  REQUIRE_VALID(
      R"({"Comment": "c", "Version": "1.0", "TimeoutSeconds": 60, "QueryLanguage": "JSONPath", "StartAt": "A", )" +
      states + "}");
  REQUIRE_INVALID(R"({"StartAt": "A", "Comment": 3, )" + states + "}", "/Comment",
                  "Comment must be a string");
  REQUIRE_INVALID(R"({"StartAt": "A", "Version": "2.0", )" + states + "}", "/Version",
                  "Version must be '1.0'");
  REQUIRE_INVALID(R"({"StartAt": "A", "Version": 1.0, )" + states + "}", "/Version",
                  "Version must be '1.0'");
  for (const char* timeout : {"0", "-5", "1.5", "\"60\"", "100000000", "18446744073709551615"}) {
    REQUIRE_INVALID(
        R"({"StartAt": "A", "TimeoutSeconds": )" + std::string(timeout) + ", " + states + "}",
        "/TimeoutSeconds", "TimeoutSeconds must be a positive integer (at most 99999999)");
  }
  REQUIRE_VALID(R"({"StartAt": "A", "QueryLanguage": "JSONata", )" + states + "}");
  REQUIRE_INVALID(R"({"StartAt": "A", "QueryLanguage": "XPath", )" + states + "}", "/QueryLanguage",
                  "QueryLanguage must be 'JSONPath' or 'JSONata'");
  REQUIRE_INVALID(R"({"StartAt": "A", "Foo": 1, )" + states + "}", "/Foo",
                  "field 'Foo' is not supported in a state machine");
}

TEST_CASE("execution TimeoutSeconds and the document are kept", "[definition]") {
  const auto with_timeout = Definition::parse(
      R"({"TimeoutSeconds": 300, "StartAt": "A", "States": {"A": {"Type": "Succeed"}}})");
  CHECK(with_timeout->timeout_seconds() == 300);
  CHECK(with_timeout->document().at("StartAt") == "A");
  CHECK(with_timeout->document().at("States").at("A").at("Type") == "Succeed");
  CHECK(Definition::parse(machine(R"("A": {"Type": "Succeed"})"))->timeout_seconds() == 0);

  const auto from_json =
      Definition::from_json(nlohmann::json::parse(machine(R"("A": {"Type": "Succeed"})")));
  CHECK(from_json->document().at("States").contains("A"));
  CHECK_THROWS_AS(Definition::from_json(nlohmann::json::parse(R"({"StartAt": "A"})")),
                  InvalidDefinition);
  CHECK_THROWS_AS(loveless::asl::validate_definition(nlohmann::json::array()), InvalidDefinition);
}

TEST_CASE("the first violation in document order is reported", "[definition]") {
  // Sorted key order would report state A first.
  REQUIRE_INVALID(
      R"({"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "X"}, "A": {"Type": "Pass", "Next": "Y"}}})",
      "/States/B/Next", "no state named 'X'");
  REQUIRE_INVALID(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Zed": 1, "Next": "Q"}}})",
                  "/States/A/Zed", "field 'Zed' is not supported in a Pass state");
  REQUIRE_INVALID(
      R"({"Version": "9", "StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Q"}}})",
      "/Version", "Version must be '1.0'");
}

TEST_CASE("state names are 1 to 80 characters and unique", "[definition]") {
  const std::string long_name(81, 'n');
  const std::string max_name(80, 'n');
  REQUIRE_INVALID(machine("\"" + long_name + R"(": {"Type": "Succeed"})", long_name),
                  "/States/" + long_name, "a state name must be 1 to 80 characters long");
  REQUIRE_VALID(machine("\"" + max_name + R"(": {"Type": "Succeed"})", max_name));
  std::string accented;
  for (int i = 0; i < 80; ++i) accented += "\xC3\xA9";  // 80 characters, 160 bytes
  REQUIRE_VALID(machine("\"" + accented + R"(": {"Type": "Succeed"})", accented));
  REQUIRE_INVALID(machine(R"("": {"Type": "Succeed"})", ""), "/States/",
                  "a state name must be 1 to 80 characters long");

  REQUIRE_INVALID(machine(R"("A": {"Type": "Succeed"}, "A": {"Type": "Succeed"})"), "/States/A",
                  "state name 'A' is used more than once");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Succeed", "Type": "Pass"})"), "/States/A/Type",
                  "field 'Type' appears more than once");
  // Names are unique across nested state machines too.
  REQUIRE_INVALID(
      machine(
          R"("A": {"Type": "Parallel", "Next": "X", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}]},
                             "X": {"Type": "Succeed"})"),
      "/States/X", "state name 'X' is used more than once");
  // A name with '/' is escaped in the pointer.
  REQUIRE_INVALID(machine(R"("a/b": {"Type": "Pass", "Next": "Q"})", "a/b"), "/States/a~1b/Next",
                  "no state named 'Q'");
}

TEST_CASE("deeply nested documents are rejected before they exhaust the stack", "[definition]") {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  const Violation violation =
      violation_of(machine(R"("A": {"Type": "Pass", "End": true, "Result": )" + deep + "}"));
  CHECK_THAT(violation.path, Catch::StartsWith("/States/A/Result/0/0/0"));
  CHECK(violation.rule == "the definition is nested deeper than 256 levels");

  nlohmann::json document = nlohmann::json::parse(machine(R"("A": {"Type": "Pass", "End": true})"));
  nlohmann::json nested = nlohmann::json::array();
  for (int i = 0; i < 1000; ++i) nested = nlohmann::json::array({std::move(nested)});
  document["States"]["A"]["Result"] = std::move(nested);
  try {
    Definition::from_json(document);
    FAIL("accepted");
  } catch (const InvalidDefinition& error) {
    CHECK(error.path() == "/");
    CHECK(error.rule() == "the definition is nested deeper than 256 levels");
  }

  std::string rule = R"({"Variable": "$.x", "IsNull": true})";
  for (int i = 0; i < 300; ++i) rule = R"({"Not": )" + rule + "}";
  const std::string choice = R"("A": {"Type": "Choice", "Choices": [{"Next": "B", "Not": )" + rule +
                             R"(}]}, "B": {"Type": "Succeed"})";
  CHECK(violation_of(machine(choice)).rule == "the definition is nested deeper than 256 levels");
}

// ---------------------------------------------------------------------------
// Fields common to states

TEST_CASE("every state needs an object with a known Type", "[definition]") {
  REQUIRE_INVALID(machine(R"("A": 5)"), "/States/A", "state 'A' must be a JSON object");
  REQUIRE_INVALID(machine(R"("A": {"End": true})"), "/States/A",
                  "These fields are required: [Type]");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Sleep", "End": true})"), "/States/A/Type",
                  "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, "
                  "Fail, Choice, Parallel, Map]");
  REQUIRE_INVALID(machine(R"("A": {"Type": 1, "End": true})"), "/States/A/Type",
                  "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, "
                  "Fail, Choice, Parallel, Map]");
}

TEST_CASE("fields a state type does not have are rejected", "[definition]") {
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, "Foo": 1})"), "/States/A/Foo",
                  "field 'Foo' is not supported in a Pass state");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, )" + std::string(kResource) + "}"),
                  "/States/A/Resource", "field 'Resource' is not supported in a Pass state");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Succeed", "Next": "A"})"), "/States/A/Next",
                  "field 'Next' is not supported in a Succeed state");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Fail", "End": true})"), "/States/A/End",
                  "field 'End' is not supported in a Fail state");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Fail", "InputPath": "$"})"), "/States/A/InputPath",
                  "field 'InputPath' is not supported in a Fail state");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, "Retry": []})"), "/States/A/Retry",
                  "field 'Retry' is not supported in a Pass state");
  REQUIRE_INVALID(
      machine(R"("A": {"Type": "Wait", "Seconds": 1, "End": true, "ResultPath": "$.x"})"),
      "/States/A/ResultPath", "field 'ResultPath' is not supported in a Wait state");
  REQUIRE_VALID(machine(R"("A": {"Type": "Pass", "End": true, "Assign": {"x": 1}})"));
  REQUIRE_VALID(machine(R"("A": {"Type": "Pass", "End": true, "QueryLanguage": "JSONata"})"));
  REQUIRE_VALID(machine(
      R"("A": {"Type": "Pass", "End": true, "QueryLanguage": "JSONPath", "Comment": "c"})"));
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, "Comment": {}})"),
                  "/States/A/Comment", "Comment must be a string");
}

TEST_CASE("non-terminal states need exactly one of Next and End", "[definition]") {
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass"})"), "/States/A",
                  "a Pass state needs 'Next' or 'End'");
  REQUIRE_INVALID(task(R"("Comment": "no transition")"), "/States/A",
                  "a Task state needs 'Next' or 'End'");
  REQUIRE_INVALID(
      machine(R"("A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Succeed"})"),
      "/States/A", "a state cannot have both 'Next' and 'End'");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": false})"), "/States/A/End",
                  "End must be true");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": "true"})"), "/States/A/End",
                  "End must be true");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "Next": 3})"), "/States/A/Next",
                  "Next must be a state name (a string)");
}

TEST_CASE("every state must be reachable from StartAt", "[definition]") {
  REQUIRE_INVALID(machine(R"("A": {"Type": "Succeed"}, "B": {"Type": "Succeed"})"), "/States/B",
                  "state 'B' is not reachable");
  REQUIRE_INVALID(
      machine(
          R"("A": {"Type": "Pass", "Next": "C"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"})"),
      "/States/B", "state 'B' is not reachable");
  // Reached through Catch, Choices and Default; loops are fine.
  REQUIRE_VALID(machine(R"("A": {"Type": "Task", )" + std::string(kResource) +
                        R"(, "Next": "C", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
                           "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "A"}], "Default": "D"},
                           "D": {"Type": "Succeed"}, "F": {"Type": "Fail"})"));
}

TEST_CASE("InputPath, OutputPath and ResultPath are paths", "[definition]") {
  REQUIRE_VALID(machine(
      R"("A": {"Type": "Pass", "End": true, "InputPath": null, "OutputPath": null, "ResultPath": null})"));
  REQUIRE_VALID(machine(
      R"("A": {"Type": "Pass", "End": true, "InputPath": "$.a", "OutputPath": "$.b[0]", "ResultPath": "$.c.d"})"));
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, "InputPath": 5})"),
                  "/States/A/InputPath", "InputPath must be a path or null");
  const Violation bad_path =
      violation_of(machine(R"("A": {"Type": "Pass", "End": true, "OutputPath": "a.b"})"));
  CHECK(bad_path.path == "/States/A/OutputPath");
  CHECK_THAT(bad_path.rule, Catch::StartsWith("'a.b' is not a valid path: "));
  REQUIRE_INVALID(
      machine(R"("A": {"Type": "Pass", "End": true, "ResultPath": "$.a[*]"})"),
      "/States/A/ResultPath",
      "ResultPath must be a reference path (one that names a single node); '$.a[*]' is not");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, "ResultPath": "$$.Execution"})"),
                  "/States/A/ResultPath", "ResultPath cannot refer to the context object ('$$')");
}

TEST_CASE("payload templates take paths or intrinsics under '.$' keys", "[definition]") {
  REQUIRE_VALID(machine(R"J("A": {"Type": "Pass", "End": true, "Parameters": {
      "static": "$.not_a_path", "p.$": "$.a", "c.$": "$$.Execution.Id", "f.$": "States.Format('x{}', $.a)",
      "nested": {"list": [1, {"deep.$": "$.b"}]}}})J"));
  // AWS's wording, as recorded: the field named, the object holding it pointed at.
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, "Parameters": {"x.$": 5}})"),
                  "/States/A/Parameters",
                  "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic "
                  "function call");
  REQUIRE_INVALID(
      machine(
          R"("A": {"Type": "Pass", "End": true, "Parameters": {"a": {"b": [0, {"c.$": "nope"}]}}})"),
      "/States/A/Parameters/a/b/1",
      "The value for the field 'c.$' must be a valid JSONPath or a valid intrinsic function call");
  REQUIRE_INVALID(
      machine(R"J("A": {"Type": "Pass", "End": true, "Parameters": {"x.$": "States.Nope(1)"}})J"),
      "/States/A/Parameters",
      "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call");
  // Recorded on AWS (test_illegal_escapes): a backslash escape that intrinsic
  // strings do not have.
  REQUIRE_INVALID(
      machine(
          R"J("A": {"Type": "Pass", "End": true, "Parameters": {"p.$": "States.Format('say \\\"hi\\\"')"}})J"),
      "/States/A/Parameters",
      "The value for the field 'p.$' must be a valid JSONPath or a valid intrinsic function call");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Pass", "End": true, "Parameters": [1]})"),
                  "/States/A/Parameters", "Parameters must be a JSON object");
  REQUIRE_INVALID(task(R"("End": true, "ResultSelector": "$.x")"), "/States/A/ResultSelector",
                  "ResultSelector must be a JSON object");
  REQUIRE_INVALID(task(R"("End": true, "ResultSelector": {"a~b/c.$": 1})"),
                  "/States/A/ResultSelector",
                  "The value for the field 'a~b/c.$' must be a valid JSONPath or a valid "
                  "intrinsic function call");
  REQUIRE_INVALID(task(R"("End": true, "Credentials": {"RoleArn.$": false})"),
                  "/States/A/Credentials",
                  "The value for the field 'RoleArn.$' must be a valid JSONPath or a valid "
                  "intrinsic function call");
  // Recorded on AWS (test_invalid_credentials_field).
  REQUIRE_INVALID(task(R"("End": true, "Credentials": {})"), "/States/A/Credentials",
                  "The field 'RoleArn' is required but was missing");
  REQUIRE_INVALID(task(R"("End": true, "Credentials": {"InvalidField": "x"})"),
                  "/States/A/Credentials", "The field 'RoleArn' is required but was missing");
  REQUIRE_VALID(task(R"("End": true, "Credentials": {"RoleArn.$": "$.role"})"));
}

// ---------------------------------------------------------------------------
// Task

TEST_CASE("a valid Task state with every field", "[definition][task]") {
  REQUIRE_VALID(task(
      R"("Next": "B", "Comment": "c", "InputPath": "$.in", "OutputPath": "$.out", "Parameters": {"a.$": "$.x"},
      "ResultSelector": {"r.$": "$.y"}, "ResultPath": "$.result", "TimeoutSeconds": 99999999, "HeartbeatSeconds": 10,
      "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/r"},
      "Retry": [{"ErrorEquals": ["States.Timeout", "MyError"], "IntervalSeconds": 2, "MaxAttempts": 0, "BackoffRate": 1,
                 "MaxDelaySeconds": 60, "JitterStrategy": "FULL", "Comment": "c"},
                {"ErrorEquals": ["States.ALL"], "BackoffRate": 1.5, "JitterStrategy": "NONE"}],
      "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "B", "ResultPath": "$.error", "Comment": "c"},
                {"ErrorEquals": ["States.ALL"], "Next": "B", "ResultPath": null}]},
      "B": {"Type": "Succeed")"));
  REQUIRE_VALID(task(
      R"("End": true, "TimeoutSecondsPath": "$.timeout", "HeartbeatSecondsPath": "$.heartbeat")"));
}

TEST_CASE("Task fields", "[definition][task]") {
  REQUIRE_INVALID(machine(R"("A": {"Type": "Task", "End": true})"), "/States/A",
                  "These fields are required: [Resource]");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Task", "Resource": 5, "End": true})"),
                  "/States/A/Resource", "Resource must be an ARN (a string starting with 'arn:')");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Task", "Resource": "my-activity", "End": true})"),
                  "/States/A/Resource", "Resource must be an ARN (a string starting with 'arn:')");
  REQUIRE_INVALID(task(R"("End": true, "TimeoutSeconds": 10, "TimeoutSecondsPath": "$.t")"),
                  "/States/A", "TimeoutSeconds and TimeoutSecondsPath are mutually exclusive");
  REQUIRE_INVALID(task(R"("End": true, "HeartbeatSeconds": 10, "HeartbeatSecondsPath": "$.h")"),
                  "/States/A", "HeartbeatSeconds and HeartbeatSecondsPath are mutually exclusive");
  REQUIRE_INVALID(task(R"("End": true, "TimeoutSeconds": 10, "HeartbeatSeconds": 10)"),
                  "/States/A/HeartbeatSeconds",
                  "HeartbeatSeconds must be smaller than TimeoutSeconds");
  REQUIRE_INVALID(task(R"("End": true, "TimeoutSeconds": 0)"), "/States/A/TimeoutSeconds",
                  "TimeoutSeconds must be a positive integer (at most 99999999)");
  REQUIRE_INVALID(task(R"("End": true, "TimeoutSeconds": 100000000)"), "/States/A/TimeoutSeconds",
                  "TimeoutSeconds must be a positive integer (at most 99999999)");
  REQUIRE_INVALID(task(R"("End": true, "HeartbeatSeconds": 2.5)"), "/States/A/HeartbeatSeconds",
                  "HeartbeatSeconds must be a positive integer (at most 99999999)");
  REQUIRE_INVALID(task(R"("End": true, "TimeoutSecondsPath": "$.t[*]")"),
                  "/States/A/TimeoutSecondsPath",
                  "TimeoutSecondsPath must be a reference path (one that names a single node); "
                  "'$.t[*]' is not");
  REQUIRE_INVALID(task(R"("End": true, "HeartbeatSecondsPath": 5)"),
                  "/States/A/HeartbeatSecondsPath", "HeartbeatSecondsPath must be a path string");
  REQUIRE_INVALID(task(R"("End": true, "Credentials": "role")"), "/States/A/Credentials",
                  "Credentials must be a JSON object");
}

TEST_CASE("an optimized integration's action must be one the service has", "[definition][task]") {
  const auto resource = [](const std::string& arn) {
    return machine(R"("A": {"Type": "Task", "Resource": ")" + arn + R"(", "End": true})");
  };
  // Recorded on AWS (test_dynamodb_task_service): DynamoDB's optimized
  // integration has no query.
  REQUIRE_INVALID(resource("arn:aws:states:::dynamodb:query"), "/States/A/Resource",
                  "The resource provided arn:aws:states:::dynamodb:query is not recognized. The "
                  "value is not a valid resource ARN, or the resource is not available in this "
                  "region.");
  REQUIRE_INVALID(resource("arn:aws:states:::lambda:invokeAsync"), "/States/A/Resource",
                  "The resource provided arn:aws:states:::lambda:invokeAsync is not recognized. "
                  "The value is not a valid resource ARN, or the resource is not available in "
                  "this region.");
  for (const char* valid :
       {"arn:aws:states:::dynamodb:getItem", "arn:aws:states:::dynamodb:deleteItem",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2", "arn:aws:states:::sqs:sendMessage",
        "arn:aws:states:::events:putEvents", "arn:aws:states:::sns:publish",
        "arn:aws:states:::glue:startJobRun.sync", "arn:aws:states:::aws-sdk:dynamodb:query",
        "arn:aws:states:::http:invoke"}) {
    CAPTURE(valid);
    REQUIRE_VALID(resource(valid));
  }
}

// ---------------------------------------------------------------------------
// Retry and Catch

TEST_CASE("Retry", "[definition][retry]") {
  REQUIRE_INVALID(task(R"("End": true, "Retry": {})"), "/States/A/Retry",
                  "Retry must be an array of retriers");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [1])"), "/States/A/Retry/0",
                  "a retrier must be a JSON object");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"MaxAttempts": 1}])"), "/States/A/Retry/0",
                  "These fields are required: [ErrorEquals]");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": []}])"),
                  "/States/A/Retry/0/ErrorEquals",
                  "ErrorEquals must be a non-empty array of error names");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": "States.ALL"}])"),
                  "/States/A/Retry/0/ErrorEquals",
                  "ErrorEquals must be a non-empty array of error names");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E", 3]}])"),
                  "/States/A/Retry/0/ErrorEquals/1", "an error name must be a non-empty string");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": [""]}])"),
                  "/States/A/Retry/0/ErrorEquals/0", "an error name must be a non-empty string");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E", "States.ALL"]}])"),
                  "/States/A/Retry/0", "States.ALL must be alone and in the last retrier");
  REQUIRE_INVALID(
      task(
          R"("End": true, "Retry": [{"ErrorEquals": ["E"]}, {"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["F"]}])"),
      "/States/A/Retry/1", "States.ALL must be alone and in the last retrier");
  REQUIRE_INVALID(
      task(R"("End": true, "Retry": [{"ErrorEquals": ["States.Foo"]}])"),
      "/States/A/Retry/0/ErrorEquals/0",
      "'States.Foo' is not a predefined error; custom error names must not start with 'States.'");
  REQUIRE_VALID(task(
      R"("End": true, "Retry": [{"ErrorEquals": ["States.HeartbeatTimeout", "States.Runtime", "Lambda.Unknown"]}])"));
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 0}])"),
                  "/States/A/Retry/0/IntervalSeconds",
                  "IntervalSeconds must be a positive integer (at most 99999999)");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": -1}])"),
                  "/States/A/Retry/0/MaxAttempts",
                  "MaxAttempts must be a non-negative integer (at most 99999999)");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5}])"),
                  "/States/A/Retry/0/BackoffRate", "BackoffRate must be a number >= 1.0");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E"], "BackoffRate": "2"}])"),
                  "/States/A/Retry/0/BackoffRate", "BackoffRate must be a number >= 1.0");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E"], "MaxDelaySeconds": 0}])"),
                  "/States/A/Retry/0/MaxDelaySeconds",
                  "MaxDelaySeconds must be a positive integer (at most 31622400)");
  REQUIRE_INVALID(
      task(R"("End": true, "Retry": [{"ErrorEquals": ["E"], "JitterStrategy": "HALF"}])"),
      "/States/A/Retry/0/JitterStrategy", "JitterStrategy must be 'FULL' or 'NONE'");
  REQUIRE_INVALID(task(R"("End": true, "Retry": [{"ErrorEquals": ["E"], "Next": "A"}])"),
                  "/States/A/Retry/0/Next", "field 'Next' is not supported in a retrier");
}

TEST_CASE("Catch", "[definition][catch]") {
  const std::string after = R"(, "B": {"Type": "Succeed")";
  REQUIRE_INVALID(task(R"("End": true, "Catch": [{"ErrorEquals": ["E"]}])"), "/States/A/Catch/0",
                  "These fields are required: [Next]");
  REQUIRE_INVALID(task(R"("End": true, "Catch": [{"ErrorEquals": ["E"], "Next": "X"}])"),
                  "/States/A/Catch/0/Next", "no state named 'X'");
  REQUIRE_INVALID(task(R"("End": true, "Catch": [{"Next": "B"}]})" + after), "/States/A/Catch/0",
                  "These fields are required: [ErrorEquals]");
  REQUIRE_INVALID(
      task(
          R"("End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "B"}, {"ErrorEquals": ["E"], "Next": "B"}]})" +
          after),
      "/States/A/Catch/0", "States.ALL must be alone and in the last catcher");
  REQUIRE_INVALID(
      task(R"("End": true, "Catch": [{"ErrorEquals": ["States.ALL", "E"], "Next": "B"}]})" + after),
      "/States/A/Catch/0", "States.ALL must be alone and in the last catcher");
  REQUIRE_INVALID(
      task(
          R"("End": true, "Catch": [{"ErrorEquals": ["E"], "Next": "B", "ResultPath": "$.a[*]"}]})" +
          after),
      "/States/A/Catch/0/ResultPath",
      "ResultPath must be a reference path (one that names a single node); '$.a[*]' is not");
  REQUIRE_INVALID(
      task(R"("End": true, "Catch": [{"ErrorEquals": ["E"], "Next": "B", "MaxAttempts": 1}]})" +
           after),
      "/States/A/Catch/0/MaxAttempts", "field 'MaxAttempts' is not supported in a catcher");
  REQUIRE_INVALID(task(R"("End": true, "Catch": {"ErrorEquals": ["E"], "Next": "B"}})" + after),
                  "/States/A/Catch", "Catch must be an array of catchers");
}

// ---------------------------------------------------------------------------
// Choice

namespace {
std::string choice(const std::string& rule, const std::string& extra = "") {
  return machine(R"("A": {"Type": "Choice", "Choices": [)" + rule + "]" + extra +
                 R"(}, "B": {"Type": "Succeed"}, "D": {"Type": "Succeed"})");
}
}  // namespace

TEST_CASE("a valid Choice state with every operator", "[definition][choice]") {
  REQUIRE_VALID(choice(R"(
    {"Variable": "$.s", "StringEquals": "x", "Next": "B", "Comment": "c"},
    {"Variable": "$.s", "StringLessThan": "x", "Next": "B"},
    {"Variable": "$.s", "StringGreaterThanEquals": "x", "Next": "B"},
    {"Variable": "$.s", "StringMatches": "log-*.txt", "Next": "B"},
    {"Variable": "$.s", "StringEqualsPath": "$.t", "Next": "B"},
    {"Variable": "$.n", "NumericEquals": 1, "Next": "B"},
    {"Variable": "$.n", "NumericLessThanEquals": 1.5, "Next": "B"},
    {"Variable": "$.n", "NumericGreaterThanPath": "$.m", "Next": "B"},
    {"Variable": "$.b", "BooleanEquals": false, "Next": "B"},
    {"Variable": "$.b", "BooleanEqualsPath": "$$.Execution.Input.b", "Next": "B"},
    {"Variable": "$.t", "TimestampEquals": "2016-03-14T01:59:00Z", "Next": "B"},
    {"Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00.123+02:00", "Next": "B"},
    {"Variable": "$.t", "TimestampGreaterThanEqualsPath": "$.u", "Next": "B"},
    {"Variable": "$.x", "IsNull": true, "Next": "B"},
    {"Variable": "$.x", "IsPresent": false, "Next": "B"},
    {"Variable": "$.x", "IsNumeric": true, "Next": "B"},
    {"Variable": "$.x", "IsString": true, "Next": "B"},
    {"Variable": "$.x", "IsBoolean": true, "Next": "B"},
    {"Variable": "$.x", "IsTimestamp": true, "Next": "B"},
    {"And": [{"Variable": "$.a", "IsPresent": true}, {"Or": [{"Variable": "$.b", "NumericEquals": 1},
             {"Not": {"Variable": "$.c", "StringEquals": "x"}}]}], "Next": "D"})",
                       R"(, "Default": "D", "InputPath": "$", "OutputPath": "$", "Comment": "c")"));
}

TEST_CASE("Choice state structure", "[definition][choice]") {
  REQUIRE_INVALID(machine(R"("A": {"Type": "Choice", "Default": "B"}, "B": {"Type": "Succeed"})"),
                  "/States/A", "These fields are required: [Choices]");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Choice", "Choices": []})"), "/States/A/Choices",
                  "Choices must be a non-empty array of Choice rules");
  REQUIRE_INVALID(choice(R"({"Variable": "$.x", "IsNull": true, "Next": "B"})", R"(, "Next": "D")"),
                  "/States/A/Next", "field 'Next' is not supported in a Choice state");
  REQUIRE_INVALID(choice(R"({"Variable": "$.x", "IsNull": true, "Next": "B"})", R"(, "End": true)"),
                  "/States/A/End", "field 'End' is not supported in a Choice state");
  REQUIRE_INVALID(
      choice(R"({"Variable": "$.x", "IsNull": true, "Next": "B"})", R"(, "Default": "Z")"),
      "/States/A/Default", "no state named 'Z'");
  REQUIRE_INVALID(choice(R"({"Variable": "$.x", "IsNull": true, "Next": "Z"})"),
                  "/States/A/Choices/0/Next", "no state named 'Z'");
  REQUIRE_INVALID(choice(R"("rule")"), "/States/A/Choices/0",
                  "a Choice rule must be a JSON object");
}

TEST_CASE("Choice rules", "[definition][choice]") {
  REQUIRE_INVALID(choice(R"({"Variable": "$.x", "IsNull": true})"), "/States/A/Choices/0",
                  "These fields are required: [Next]");
  REQUIRE_INVALID(
      choice(R"({"And": [{"Variable": "$.x", "IsNull": true, "Next": "B"}], "Next": "B"})"),
      "/States/A/Choices/0/And/0/Next",
      "a Choice rule nested in And, Or or Not cannot have 'Next'");
  REQUIRE_INVALID(
      choice(R"({"Not": {"Variable": "$.x", "IsNull": true, "Next": "B"}, "Next": "B"})"),
      "/States/A/Choices/0/Not/Next", "a Choice rule nested in And, Or or Not cannot have 'Next'");
  REQUIRE_INVALID(
      choice(R"({"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "B"})"),
      "/States/A/Choices/0/NumericEquals",
      "a Choice rule must have exactly one operator; 'NumericEquals' is a second one");
  REQUIRE_INVALID(choice(R"({"Variable": "$.x", "Next": "B"})"), "/States/A/Choices/0",
                  "a Choice rule needs an operator: And, Or, Not or a comparison");
  REQUIRE_INVALID(choice(R"({"StringEquals": "a", "Next": "B"})"), "/States/A/Choices/0",
                  "These fields are required: [Variable]");
  REQUIRE_INVALID(choice(R"({"Variable": 5, "StringEquals": "a", "Next": "B"})"),
                  "/States/A/Choices/0/Variable", "Variable must be a path string");
  const Violation bad_variable =
      violation_of(choice(R"({"Variable": "x", "StringEquals": "a", "Next": "B"})"));
  CHECK(bad_variable.path == "/States/A/Choices/0/Variable");
  CHECK_THAT(bad_variable.rule, Catch::StartsWith("'x' is not a valid path: "));
  REQUIRE_INVALID(choice(R"({"Variable": "$.x", "Foo": 1, "Next": "B"})"),
                  "/States/A/Choices/0/Foo", "field 'Foo' is not supported in a Choice rule");
  REQUIRE_INVALID(choice(R"({"And": [], "Next": "B"})"), "/States/A/Choices/0/And",
                  "And must be a non-empty array of Choice rules");
  REQUIRE_INVALID(choice(R"({"Or": {"Variable": "$.x", "IsNull": true}, "Next": "B"})"),
                  "/States/A/Choices/0/Or", "Or must be a non-empty array of Choice rules");
  REQUIRE_INVALID(choice(R"({"Not": [{"Variable": "$.x", "IsNull": true}], "Next": "B"})"),
                  "/States/A/Choices/0/Not", "Not must be a Choice rule (a JSON object)");
  REQUIRE_INVALID(
      choice(R"({"Variable": "$.x", "And": [{"Variable": "$.x", "IsNull": true}], "Next": "B"})"),
      "/States/A/Choices/0/Variable", "a Choice rule using And cannot have a Variable");
  REQUIRE_INVALID(
      choice(R"({"Or": [{"Variable": "$.x", "IsNull": true}, {"Next": "B"}], "Next": "B"})"),
      "/States/A/Choices/0/Or/1/Next", "a Choice rule nested in And, Or or Not cannot have 'Next'");
  REQUIRE_INVALID(
      choice(R"({"Or": [{"Variable": "$.x", "IsNull": true}, {"Variable": "$.y"}], "Next": "B"})"),
      "/States/A/Choices/0/Or/1", "a Choice rule needs an operator: And, Or, Not or a comparison");
}

TEST_CASE("Choice operator values have the operator's type", "[definition][choice]") {
  const auto rule = [](const std::string& op, const std::string& value) {
    return choice(R"({"Variable": "$.x", ")" + op + R"(": )" + value + R"(, "Next": "B"})");
  };
  REQUIRE_INVALID(rule("StringEquals", "5"), "/States/A/Choices/0/StringEquals",
                  "StringEquals must be a string");
  REQUIRE_INVALID(rule("StringMatches", "null"), "/States/A/Choices/0/StringMatches",
                  "StringMatches must be a string");
  REQUIRE_INVALID(rule("NumericEquals", "\"5\""), "/States/A/Choices/0/NumericEquals",
                  "NumericEquals must be a number");
  REQUIRE_INVALID(rule("NumericGreaterThan", "true"), "/States/A/Choices/0/NumericGreaterThan",
                  "NumericGreaterThan must be a number");
  REQUIRE_INVALID(rule("BooleanEquals", "\"true\""), "/States/A/Choices/0/BooleanEquals",
                  "BooleanEquals must be a boolean");
  REQUIRE_INVALID(rule("IsPresent", "1"), "/States/A/Choices/0/IsPresent",
                  "IsPresent must be a boolean");
  REQUIRE_INVALID(rule("TimestampEquals", "\"2016-03-14 01:59:00Z\""),
                  "/States/A/Choices/0/TimestampEquals", "String does not match RFC3339 timestamp");
  REQUIRE_INVALID(rule("TimestampLessThan", "1457920740"), "/States/A/Choices/0/TimestampLessThan",
                  "TimestampLessThan must be a string holding an RFC 3339 timestamp such as "
                  "'2016-03-14T01:59:00Z'");
  REQUIRE_INVALID(
      rule("StringEqualsPath", "\"$.a[*]\""), "/States/A/Choices/0/StringEqualsPath",
      "StringEqualsPath must be a reference path (one that names a single node); '$.a[*]' is not");
  REQUIRE_INVALID(rule("NumericEqualsPath", "5"), "/States/A/Choices/0/NumericEqualsPath",
                  "NumericEqualsPath must be a path string");
}

// ---------------------------------------------------------------------------
// Wait, Succeed, Fail, Pass

TEST_CASE("Wait needs exactly one of its four fields", "[definition][wait]") {
  const auto wait = [](const std::string& fields) {
    return machine(R"("A": {"Type": "Wait", "Next": "B", )" + fields +
                   R"(}, "B": {"Type": "Succeed"})");
  };
  REQUIRE_VALID(wait(R"("Seconds": 0)"));
  REQUIRE_VALID(wait(R"("Seconds": 99999999)"));
  REQUIRE_VALID(wait(R"("Timestamp": "2024-02-29T23:59:59.5-07:30")"));
  REQUIRE_VALID(wait(R"("SecondsPath": "$.s")"));
  REQUIRE_VALID(wait(R"("TimestampPath": "$$.Execution.StartTime")"));
  const std::string rule =
      "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath and TimestampPath";
  REQUIRE_INVALID(wait(R"("Comment": "none")"), "/States/A", rule);
  REQUIRE_INVALID(wait(R"("Seconds": 1, "SecondsPath": "$.s")"), "/States/A", rule);
  REQUIRE_INVALID(wait(R"("Seconds": 1, "Timestamp": "2016-03-14T01:59:00Z")"), "/States/A", rule);
  REQUIRE_INVALID(wait(R"("Seconds": -1)"), "/States/A/Seconds",
                  "Seconds must be a non-negative integer (at most 99999999)");
  REQUIRE_INVALID(wait(R"("Seconds": 1.5)"), "/States/A/Seconds",
                  "Seconds must be a non-negative integer (at most 99999999)");
  REQUIRE_INVALID(
      wait(R"("SecondsPath": "$.s[*]")"), "/States/A/SecondsPath",
      "SecondsPath must be a reference path (one that names a single node); '$.s[*]' is not");
  for (const char* bad : {"2016-03-14t01:59:00Z", "2016-03-14T01:59:00z", "2016-03-14T01:59:00",
                          "2016-13-14T01:59:00Z", "2023-02-29T00:00:00Z", "2016-03-14T24:00:00Z",
                          "2016-03-14T01:60:00Z", "2016-03-14T01:59:60Z", "2016-03-14T01:59:00.Z",
                          "2016-03-14T01:59:00+0200", "2016-03-14T01:59:00+24:00",
                          "16-03-14T01:59:00Z", "2016-03-14T01:59:00Zjunk", "now"}) {
    // AWS's wording, as recorded (test_wait_timestamp_invalid).
    REQUIRE_INVALID(wait(R"("Timestamp": ")" + std::string(bad) + "\""), "/States/A/Timestamp",
                    "String does not match RFC3339 timestamp");
  }
}

TEST_CASE("Succeed, Fail and Pass", "[definition][fail]") {
  REQUIRE_VALID(machine(
      R"("A": {"Type": "Succeed", "Comment": "c", "InputPath": "$.a", "OutputPath": "$.b"})"));
  REQUIRE_VALID(
      machine(R"("A": {"Type": "Fail", "Error": "MyError", "Cause": "because", "Comment": "c"})"));
  REQUIRE_VALID(machine(
      R"J("A": {"Type": "Fail", "ErrorPath": "$.error", "CausePath": "States.Format('bad {}', $.x)"})J"));
  REQUIRE_VALID(machine(
      R"("A": {"Type": "Pass", "Result": {"x": [1, 2]}, "ResultPath": "$.r", "Parameters": {"a.$": "$.b"}, "End": true})"));
  REQUIRE_INVALID(machine(R"("A": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"})"),
                  "/States/A", "Error and ErrorPath are mutually exclusive");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Fail", "Cause": "C", "CausePath": "$.c"})"),
                  "/States/A", "Cause and CausePath are mutually exclusive");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Fail", "Error": 5})"), "/States/A/Error",
                  "Error must be a string");
  REQUIRE_INVALID(
      machine(R"("A": {"Type": "Fail", "ErrorPath": "$.e[*]"})"), "/States/A/ErrorPath",
      "ErrorPath must be a reference path (one that names a single node); '$.e[*]' is not");
  REQUIRE_INVALID(machine(R"("A": {"Type": "Fail", "CausePath": 1})"), "/States/A/CausePath",
                  "CausePath must be a string holding a path or an intrinsic function");
}

// ---------------------------------------------------------------------------
// Parallel

TEST_CASE("Parallel branches are nested state machines", "[definition][parallel]") {
  const auto parallel = [](const std::string& branches, const std::string& after = "") {
    return machine(R"("A": {"Type": "Parallel", "Next": "After", "Branches": )" + branches +
                   R"(}, "After": {"Type": "Succeed"})" + after);
  };
  REQUIRE_VALID(parallel(
      R"([{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "B2"}, "B2": {"Type": "Succeed"}}},
                             {"StartAt": "C1", "Comment": "c", "States": {"C1": {"Type": "Pass", "End": true}}}])"));
  REQUIRE_INVALID(machine(R"("A": {"Type": "Parallel", "End": true})"), "/States/A",
                  "These fields are required: [Branches]");
  REQUIRE_INVALID(parallel("[]"), "/States/A/Branches", "Value cannot be empty");
  REQUIRE_INVALID(parallel("{}"), "/States/A/Branches",
                  "Branches must be a non-empty array of state machines");
  REQUIRE_INVALID(parallel("[1]"), "/States/A/Branches/0",
                  "a Parallel branch must be a JSON object");
  REQUIRE_INVALID(parallel(R"([{"States": {"B1": {"Type": "Succeed"}}}])"), "/States/A/Branches/0",
                  "These fields are required: [StartAt]");
  REQUIRE_INVALID(
      parallel(R"([{"StartAt": "B1", "Version": "1.0", "States": {"B1": {"Type": "Succeed"}}}])"),
      "/States/A/Branches/0/Version", "field 'Version' is not supported in a Parallel branch");
  // A branch's transitions stay inside it.
  REQUIRE_INVALID(
      parallel(R"([{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "After"}}}])"),
      "/States/A/Branches/0/States/B1/Next", "no state named 'After'");
  REQUIRE_INVALID(parallel(R"([{"StartAt": "B1", "States": {"B1": {"Type": "Succeed"}}},
                               {"StartAt": "C1", "States": {"C1": {"Type": "Pass", "Next": "B1"}}}])"),
                  "/States/A/Branches/1/States/C1/Next", "no state named 'B1'");
  REQUIRE_INVALID(parallel(R"([{"StartAt": "B1", "States": {"B1": {"Type": "Succeed"}}}])",
                           R"(, "Z": {"Type": "Pass", "Next": "B1"})"),
                  "/States/Z/Next", "no state named 'B1'");
  REQUIRE_INVALID(
      parallel(
          R"([{"StartAt": "B1", "States": {"B1": {"Type": "Succeed"}, "B2": {"Type": "Succeed"}}}])"),
      "/States/A/Branches/0/States/B2", "state 'B2' is not reachable");
  REQUIRE_INVALID(parallel(R"([{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true,
                               "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]}}}])"),
                  "/States/A/Branches/0/States/B1/Retry",
                  "field 'Retry' is not supported in a Pass state");
}

// ---------------------------------------------------------------------------
// Map

TEST_CASE("Map state", "[definition][map]") {
  const std::string processor =
      R"({"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}})";
  const auto map = [&](const std::string& fields) {
    return machine(R"("A": {"Type": "Map", "End": true, )" + fields + "}");
  };
  REQUIRE_VALID(map(
      R"("ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},
                       "ItemsPath": "$.items", "ItemSelector": {"v.$": "$$.Map.Item.Value"}, "MaxConcurrency": 0,
                       "ResultSelector": {"r.$": "$"}, "ResultPath": "$.out", "ToleratedFailurePercentage": 50,
                       "ToleratedFailureCount": 2, "Retry": [{"ErrorEquals": ["States.ALL"]}])"));
  REQUIRE_VALID(
      map(R"("Iterator": )" + processor +
          R"(, "Parameters": {"v.$": "$$.Map.Item.Value"}, "MaxConcurrencyPath": "$.n")"));
  REQUIRE_INVALID(map(R"("Comment": "none")"), "/States/A",
                  "a Map state needs exactly one of ItemProcessor and Iterator");
  REQUIRE_INVALID(
      map(R"("Iterator": )" + processor +
          R"(, "ItemProcessor": {"StartAt": "J", "States": {"J": {"Type": "Pass", "End": true}}})"),
      "/States/A", "a Map state needs exactly one of ItemProcessor and Iterator");
  const std::string distributed =
      R"({"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}})";
  REQUIRE_VALID(map(
      R"("ItemProcessor": )" + distributed +
      R"(, "Label": "Orders", "ToleratedFailureCountPath": "$.c", "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"k": 1}})"));
  REQUIRE_INVALID(
      map(R"("ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}})"),
      "/States/A/ItemProcessor/ProcessorConfig",
      "a distributed Map needs ProcessorConfig ExecutionType ('STANDARD' or 'EXPRESS')");
  REQUIRE_INVALID(
      map(R"("ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE", "ExecutionType": "EXPRESS"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}})"),
      "/States/A/ItemProcessor/ProcessorConfig/ExecutionType",
      "ExecutionType applies only to Mode 'DISTRIBUTED'");
  REQUIRE_INVALID(map(R"("ItemProcessor": )" + processor + R"(, "Label": "L")"), "/States/A/Label",
                  "Label applies only to a distributed Map (ProcessorConfig Mode 'DISTRIBUTED')");
  REQUIRE_INVALID(map(R"("ItemProcessor": )" + distributed + R"(, "Label": "a/b")"),
                  "/States/A/Label",
                  "Label 'a/b' holds a character a Map Run label cannot: whitespace, brackets, ? "
                  "* \" # % \\ ^ | ~ ` $ & , ; : / or a control character");
  REQUIRE_INVALID(
      map(R"("ItemProcessor": )" + distributed + R"(, "ItemBatcher": {"BatchInput": {}})"),
      "/States/A/ItemBatcher",
      "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or a *Path of them)");
  REQUIRE_INVALID(
      map(R"("ItemProcessor": {"ProcessorConfig": {"Mode": "inline"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}})"),
      "/States/A/ItemProcessor/ProcessorConfig/Mode", "Mode must be 'INLINE' or 'DISTRIBUTED'");
  // Recorded on AWS: a legacy Iterator may carry ProcessorConfig, checked as in ItemProcessor.
  REQUIRE_INVALID(
      map(R"("Iterator": {"ProcessorConfig": {"Mode": "inline"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}})"),
      "/States/A/Iterator/ProcessorConfig/Mode", "Mode must be 'INLINE' or 'DISTRIBUTED'");
  REQUIRE_INVALID(
      map(R"("ItemProcessor": )" + processor + R"(, "ItemSelector": {}, "Parameters": {})"),
      "/States/A", "ItemSelector and Parameters are mutually exclusive");
  REQUIRE_INVALID(map(R"("ItemProcessor": )" + processor + R"(, "MaxConcurrency": -1)"),
                  "/States/A/MaxConcurrency",
                  "MaxConcurrency must be a non-negative integer (at most 2147483647)");
  REQUIRE_INVALID(map(R"("ItemProcessor": )" + processor +
                      R"(, "MaxConcurrency": 1, "MaxConcurrencyPath": "$.n")"),
                  "/States/A", "MaxConcurrency and MaxConcurrencyPath are mutually exclusive");
  REQUIRE_INVALID(
      map(R"("ItemProcessor": )" + processor + R"(, "ToleratedFailurePercentage": 101)"),
      "/States/A/ToleratedFailurePercentage",
      "ToleratedFailurePercentage must be a number from 0 to 100");
  REQUIRE_INVALID(map(R"("ItemProcessor": )" + processor +
                      R"(, "ToleratedFailureCount": 1, "ToleratedFailureCountPath": "$.c")"),
                  "/States/A",
                  "ToleratedFailureCount and ToleratedFailureCountPath are mutually exclusive");
  REQUIRE_INVALID(
      map(R"("ItemProcessor": )" + processor + R"(, "ItemsPath": "$.items[*]")"),
      "/States/A/ItemsPath",
      "ItemsPath must be a reference path (one that names a single node); '$.items[*]' is not");
  REQUIRE_INVALID(
      map(R"("ItemReader": {}, "ItemProcessor": )" + processor), "/States/A/ItemReader",
      "ItemReader reads or writes Amazon S3, which the local engine does not have: give a "
      "distributed Map its items in the state input (ItemsPath or Items) and take its results "
      "from the state output");
  REQUIRE_INVALID(
      map(R"("ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Next": "A"}}})"),
      "/States/A/ItemProcessor/States/I/Next", "no state named 'A'");
  REQUIRE_INVALID(map(R"("Iterator": {"StartAt": "I"})"), "/States/A/Iterator",
                  "These fields are required: [States]");
}

// ---------------------------------------------------------------------------
// Sample definitions

TEST_CASE("sample definitions of every state type are valid", "[definition][samples]") {
  for (const char* name :
       {"every_state_type.json", "nested_parallel_map.json", "legacy_map_iterator.json"}) {
    INFO(name);
    const std::string text = read_sample(name);
    CHECK_NOTHROW(Definition::parse(text));
    CHECK_NOTHROW(Definition::from_json(nlohmann::json::parse(text)));
  }
}
