// Validation of JSONata states and variables (Assign): the query language
// rules AWS applies and the fields each language may use.

#include <string>

#include <catch2/catch.hpp>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/errors.hpp"

#include "definition_violation.hpp"

using loveless::asl::Definition;
using loveless::asl::InvalidDefinition;
using loveless::asl::testing::Violation;
using loveless::asl::testing::violation_of;

namespace {

std::string jsonata_machine(const std::string& states) {
  return R"J({"QueryLanguage": "JSONata", "StartAt": "A", "States": {)J" + states + "}}";
}

std::string jsonpath_machine(const std::string& states) {
  return R"J({"StartAt": "A", "States": {)J" + states + "}}";
}

void require_invalid(const std::string& text, const std::string& path, const std::string& rule) {
  INFO(text);
  const Violation violation = violation_of(text);
  CHECK(violation.path == path);
  CHECK(violation.rule == rule);
}

void require_valid(const std::string& text) {
  INFO(text);
  CHECK(violation_of(text).rule == "(accepted)");
}

}  // namespace

TEST_CASE("JSONata states take Arguments, Output, Assign and expressions in their fields",
          "[definition][jsonata]") {
  require_valid(jsonata_machine(R"J("A": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
      "TimeoutSeconds": "{% 10 %}", "HeartbeatSeconds": 5,
      "Output": "{% $states.result.Payload %}", "Assign": {"x": "{% 1 + 1 %}"},
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "B",
                 "Output": "{% $states.errorOutput %}", "Assign": {"failed": true}}],
      "Next": "B"},
      "B": {"Type": "Choice", "Choices": [{"Condition": "{% $x = 2 %}", "Next": "C",
            "Assign": {"y": 1}, "Output": {"ok": true}}], "Default": "C"},
      "C": {"Type": "Wait", "Seconds": "{% $x %}", "Next": "D"},
      "D": {"Type": "Map", "Items": "{% [1, 2] %}", "MaxConcurrency": "{% 1 %}",
            "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "Next": "E"},
      "E": {"Type": "Fail", "Error": "{% 'E' & $string($x) %}", "Cause": "c"})J"));
}

TEST_CASE("the query language is inherited, and a JSONata machine cannot go back to JSONPath",
          "[definition][jsonata]") {
  require_valid(jsonpath_machine(
      R"J("A": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}", "End": true})J"));
  require_invalid(
      jsonata_machine(R"J("A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true})J"),
      "/States/A",
      "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
  // Measured on AWS: a Map that sets JSONata does not change its processor's states.
  require_invalid(
      jsonpath_machine(R"J("A": {"Type": "Map", "QueryLanguage": "JSONata", "End": true,
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": 1, "End": true}}}})J"),
      "/States/A/ItemProcessor/States/P/Output",
      "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for "
      "the 'JSONata' QueryLanguage");
}

TEST_CASE("each query language rejects the other's fields", "[definition][jsonata]") {
  for (const char* field : {"InputPath", "OutputPath", "ResultPath"}) {
    require_invalid(jsonata_machine(std::string(R"J("A": {"Type": "Pass", ")J") + field +
                                    R"J(": "$.x", "End": true})J"),
                    std::string("/States/A/") + field,
                    std::string("The QueryLanguage is set to 'JSONata', but field '") + field +
                        "' is only supported for the 'JSONPath' QueryLanguage");
  }
  require_invalid(jsonata_machine(R"J("A": {"Type": "Pass", "Parameters": {}, "End": true})J"),
                  "/States/A/Parameters",
                  "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported "
                  "for the 'JSONPath' QueryLanguage");
  require_invalid(jsonpath_machine(R"J("A": {"Type": "Pass", "Output": {}, "End": true})J"),
                  "/States/A/Output",
                  "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported "
                  "for the 'JSONata' QueryLanguage");
  require_invalid(jsonata_machine(R"J("A": {"Type": "Choice", "Choices": [{"Variable": "$.x",
      "IsPresent": true, "Next": "B"}], "Default": "B"}, "B": {"Type": "Succeed"})J"),
                  "/States/A/Choices/0/Variable",
                  "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported "
                  "for the 'JSONPath' QueryLanguage");
  require_invalid(jsonata_machine(R"J("A": {"Type": "Choice", "Choices": [{"Next": "B"}],
      "Default": "B"}, "B": {"Type": "Succeed"})J"),
                  "/States/A/Choices/0", "These fields are required: [Condition]");
}

TEST_CASE("JSONata expressions must compile", "[definition][jsonata]") {
  const Violation violation = violation_of(
      jsonata_machine(R"J("A": {"Type": "Pass", "Output": {"x": "{% $states.input.( %}"},
      "End": true})J"));
  CHECK(violation.path == "/States/A/Output/x");
  CHECK(violation.rule.starts_with("invalid JSONata expression '{% $states.input.( %}': S0"));
  // Not an expression: a literal string, as on AWS.
  require_valid(jsonata_machine(R"J("A": {"Type": "Pass", "Output": " {% ( %}", "End": true})J"));
}

TEST_CASE("Assign keys are variable names", "[definition][variables]") {
  require_valid(jsonpath_machine(
      R"J("A": {"Type": "Pass", "Assign": {"x": 1, "y.$": "$.a", "_z9": "$not_a_path"}, "End": true})J"));
  for (const char* name : {"9x", "a-b", "states", ""}) {
    require_invalid(jsonpath_machine(std::string(R"J("A": {"Type": "Pass", "Assign": {")J") + name +
                                     R"J(": 1}, "End": true})J"),
                    std::string("/States/A/Assign/") + name,
                    std::string("'") + name +
                        "' is not a valid variable name: use a letter or '_', then letters, "
                        "digits and '_' (at most 80 characters); 'states' is reserved");
  }
  require_invalid(jsonpath_machine(R"J("A": {"Type": "Fail", "Assign": {"x": 1}})J"),
                  "/States/A/Assign", "field 'Assign' is not supported in a Fail state");
  require_invalid(jsonpath_machine(R"J("A": {"Type": "Pass", "ResultPath": "$x", "End": true})J"),
                  "/States/A/ResultPath", "ResultPath cannot refer to a variable");
}
