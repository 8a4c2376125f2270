// Variables (Assign) in both query languages: evaluation order, scope in
// Parallel and Map, `$name` paths in JSONPath fields, history details and
// size limits (AWS's recordings and the developer guide, "Passing data
// between states with variables").

#include <string>

#include <catch2/catch.hpp>

#include "loveless/asl/execution.hpp"

#include "virtual_host.hpp"

using loveless::asl::ExecutionStatus;
using loveless::asl::testing::Harness;
using nlohmann::json;

namespace {

std::string jsonpath(const std::string& states) {
  return R"J({"StartAt": "A", "States": {)J" + states + "}}";
}

}  // namespace

TEST_CASE("a JSONPath Assign reads the state's result and later states read the variables",
          "[execution][variables]") {
  Harness h(jsonpath(R"J("A": {"Type": "Pass", "Result": {"q": "life", "a": 42},
      "Assign": {"question.$": "$.q", "answer.$": "$.a", "constant": "$.not_a_path",
                 "name.$": "$$.Execution.Name", "both.$": "States.Format('{} {}', $.q, $.a)"},
      "Next": "B"},
      "B": {"Type": "Pass", "Parameters": {"q.$": "$question", "a.$": "$answer",
            "c.$": "$constant", "n.$": "$name", "f.$": "States.Format('{}!', $both)"},
            "End": true})J"));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() ==
        json{{"q", "life"}, {"a", 42}, {"c", "$.not_a_path"}, {"n", "run-1"}, {"f", "life 42!"}});
  const auto* exited = h.find("PassStateExited");
  REQUIRE(exited != nullptr);
  CHECK(exited->details["assignedVariables"] == json{{"answer", "42"},
                                                     {"both", "\"life 42\""},
                                                     {"constant", "\"$.not_a_path\""},
                                                     {"name", "\"run-1\""},
                                                     {"question", "\"life\""}});
}

TEST_CASE("every Assign and Output sees the variables from before the state",
          "[execution][variables]") {
  Harness h(jsonpath(R"J("A": {"Type": "Pass", "Assign": {"answer": 42, "other": 1}, "Next": "B"},
      "B": {"Type": "Pass", "InputPath": "$answer", "OutputPath": "$answer",
            "Assign": {"answer": "changed"}, "Next": "C"},
      "C": {"Type": "Pass", "QueryLanguage": "JSONata",
            "Assign": {"old": "{% $answer %}", "answer": 18},
            "Output": {"seen": "{% $answer %}"}, "Next": "D"},
      "D": {"Type": "Pass", "QueryLanguage": "JSONata",
            "Output": {"old": "{% $old %}", "answer": "{% $answer %}", "in": "{% $states.input %}"},
            "End": true})J"));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  // B's InputPath and OutputPath read 42, not the value B assigns.
  CHECK(json::parse(h.find("PassStateExited", 1)->details["output"].get<std::string>()) == 42);
  CHECK(*h.execution.output() ==
        json{{"old", "changed"}, {"answer", 18}, {"in", {{"seen", "changed"}}}});
}

TEST_CASE("Parallel branches and Map iterations read outer variables and keep their own inside",
          "[execution][variables]") {
  Harness h(jsonpath(R"J("A": {"Type": "Pass", "Assign": {"x": 42}, "Next": "M"},
      "M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {
          "I": {"Type": "Pass", "Parameters": {"item.$": "$", "outer.$": "$x"},
                "Assign": {"x": 0, "inner": 1}, "Next": "J"},
          "J": {"Type": "Pass", "Parameters": {"x.$": "$x", "inner.$": "$inner"}, "End": true}}},
          "ResultPath": "$.mapped", "Next": "P"},
      "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
          "B": {"Type": "Pass", "Parameters": {"outer.$": "$x"}, "End": true}}}],
          "ResultPath": "$.branches", "Next": "C"},
      "C": {"Type": "Pass", "Parameters": {"mapped.$": "$.mapped", "branches.$": "$.branches",
            "x.$": "$x"}, "End": true})J"),
            json{{"items", {1, 2}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  const json out = *h.execution.output();
  CHECK(out["mapped"] == json::array({{{"x", 0}, {"inner", 1}}, {{"x", 0}, {"inner", 1}}}));
  CHECK(out["branches"] == json::array({{{"outer", 42}}}));
  CHECK(out["x"] == 42);
}

TEST_CASE("a path to a variable that does not exist fails with States.Runtime",
          "[execution][variables]") {
  Harness h(jsonpath(R"J("A": {"Type": "Pass", "Parameters": {"v.$": "$missing"}, "End": true})J"));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.Runtime");
  CHECK(h.execution.cause().find("$missing") != std::string::npos);
}

TEST_CASE("a catcher's Assign replaces the state's and reads the error output",
          "[execution][variables]") {
  Harness h(jsonpath(R"J("A": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {
          "F": {"Type": "Fail", "Error": "Oops", "Cause": "bad"}}}],
      "Assign": {"result": "SUCCESS"},
      "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"error.$": "$.Error"},
                 "ResultPath": "$.caught", "Next": "B"}], "End": true},
      "B": {"Type": "Pass", "Parameters": {"error.$": "$error"}, "End": true})J"));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"error", "Oops"}});
  CHECK(h.find("ParallelStateExited")->details["assignedVariables"] == json{{"error", "\"Oops\""}});
}

TEST_CASE("a variable over 256 KiB fails the state", "[execution][variables]") {
  Harness h(jsonpath(R"J("A": {"Type": "Pass", "Assign": {"big.$": "$.text"}, "End": true})J"),
            json{{"text", std::string(262144, 'x')}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.Runtime");
  CHECK(h.execution.cause().find("'big' exceeds the maximum size of 256 KiB") != std::string::npos);
}
