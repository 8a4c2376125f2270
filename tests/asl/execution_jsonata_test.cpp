// Executions of JSONata states: `$states`, Arguments, Output, Choice
// Conditions, Wait, Map Items and ItemSelector, Catch, and the
// States.QueryEvaluationError failures AWS records (LocalStack's recordings,
// summarised in docs/engine.md).

#include <string>

#include <catch2/catch.hpp>

#include "loveless/asl/execution.hpp"

#include "virtual_host.hpp"

using loveless::asl::ExecutionStatus;
using loveless::asl::testing::Harness;
using nlohmann::json;

namespace {

const std::string kLambdaInvoke = "arn:aws:states:::lambda:invoke";

std::string jsonata(const std::string& states, const std::string& start = "A") {
  return R"J({"QueryLanguage": "JSONata", "StartAt": ")J" + start + R"J(", "States": {)J" + states +
         "}}";
}

json details_of(const Harness& h, const std::string& type, int occurrence = 0) {
  const auto* event = h.find(type, occurrence);
  REQUIRE(event != nullptr);
  return event->details;
}

}  // namespace

TEST_CASE("a JSONata Pass outputs its Output, evaluated over $states.input",
          "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Pass", "Output": {"sum": "{% $sum($states.input.n) %}",
      "name": "{% $states.context.Execution.Name %}", "literal": "$states.input",
      "list": ["{% 1 + 1 %}", 3]}, "End": true})J"),
            json{{"n", {1, 2, 3}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() ==
        json{{"sum", 6}, {"name", "run-1"}, {"literal", "$states.input"}, {"list", {2, 3}}});
}

TEST_CASE("without Output a JSONata state passes its input, a Task its result",
          "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Task", "Resource": ")J" +
                    kLambdaInvoke + R"J(",
            "Arguments": {"FunctionName": "f", "Payload": {"v": "{% $states.input.v * 10 %}"}},
            "End": true})J"),
            json{{"v", 4}});
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 1);
  CHECK(h.host.last_task().input == json{{"FunctionName", "f"}, {"Payload", {{"v", 40}}}});
  CHECK(json::parse(details_of(h, "TaskScheduled")["parameters"].get<std::string>()) ==
        h.host.last_task().input);
  const auto id = h.host.last_task().task_id;
  h.execution.task_started(id, "");
  h.execution.task_succeeded(id, json{{"Payload", {{"r", 1}}}});
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"Payload", {{"r", 1}}}});
}

TEST_CASE("a Task's Output and Assign see $states.result", "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Task", "Resource": ")J" + kLambdaInvoke + R"J(",
      "Arguments": {"FunctionName": "f"}, "TimeoutSeconds": "{% $states.input.t %}",
      "Output": {"doubled": "{% $states.result.Payload * 2 %}", "input": "{% $states.input %}"},
      "Assign": {"last": "{% $states.result.Payload %}"}, "Next": "B"},
      "B": {"Type": "Pass", "Output": "{% $last %}", "End": true})J"),
            json{{"t", 30}});
  h.execution.start();
  const auto& task = h.host.last_task();
  CHECK(task.timeout_seconds == 30);
  h.execution.task_started(task.task_id, "");
  h.execution.task_succeeded(task.task_id, json{{"Payload", 21}});
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == 21);
  const json exited = details_of(h, "TaskStateExited");
  CHECK(json::parse(exited["output"].get<std::string>()) ==
        json{{"doubled", 42}, {"input", {{"t", 30}}}});
  CHECK(exited["assignedVariables"] == json{{"last", "21"}});
  CHECK(exited["assignedVariablesDetails"] == json{{"truncated", false}});
}

TEST_CASE("a JSONata Choice follows the first true Condition with that rule's Assign and Output",
          "[execution][jsonata]") {
  const std::string states = R"J("A": {"Type": "Choice", "Choices": [
      {"Condition": "{% $states.input.n > 10 %}", "Next": "Big", "Output": {"size": "big"}},
      {"Condition": "{% $states.input.n > 5 %}", "Next": "Mid", "Assign": {"why": "mid"}}],
      "Default": "Small", "Output": {"size": "default"}},
      "Big": {"Type": "Succeed"}, "Mid": {"Type": "Pass", "Output": "{% $why %}", "End": true},
      "Small": {"Type": "Succeed"})J";
  Harness big(jsonata(states), json{{"n", 11}});
  big.run_to_end();
  CHECK(*big.execution.output() == json{{"size", "big"}});
  Harness mid(jsonata(states), json{{"n", 6}});
  mid.run_to_end();
  CHECK(*mid.execution.output() == "mid");
  Harness small(jsonata(states), json{{"n", 1}});
  small.run_to_end();
  CHECK(*small.execution.output() == json{{"size", "default"}});
}

TEST_CASE("a Condition that is not a boolean fails with States.QueryEvaluationError",
          "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Choice", "Choices": [
      {"Condition": "{% $states.input.n %}", "Next": "B"}], "Default": "B"},
      "B": {"Type": "Succeed"})J"),
            json{{"n", 3}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.QueryEvaluationError");
  CHECK(h.execution.cause() ==
        "An error occurred while executing the state 'A' (entered at the event id #2). The "
        "JSONata expression '$states.input.n' specified for the field 'Choices/0/Condition' "
        "returned an unexpected result type. Expected 'boolean', but was 'number' for value: 3");
}

TEST_CASE("an undefined result fails the state with AWS's EvaluationFailed event",
          "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"},
      "End": true})J"));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                              "EvaluationFailed", "ExecutionFailed"});
  const auto& failed = h.execution.history()[2];
  // Recorded on AWS: it links to the event before PassStateEntered.
  CHECK(failed.previous_event_id == 0);
  CHECK(failed.details_key == "evaluationFailedEventDetails");
  const std::string cause =
      "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata "
      "expression '$doesNotExist' specified for the field 'Output/result' returned nothing "
      "(undefined).";
  CHECK(failed.details == json{{"error", "States.QueryEvaluationError"},
                               {"cause", cause},
                               {"location", "Output/result"},
                               {"state", "A"}});
  CHECK(h.execution.history()[3].previous_event_id == 3);
  CHECK(h.execution.cause() == cause);
}

TEST_CASE("a JSONata error names its code, and a catcher's Output sees $states.errorOutput",
          "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Parallel", "Branches": [{"StartAt": "X", "States": {
      "X": {"Type": "Pass", "Output": "{% $notAFunction() %}", "End": true}}}],
      "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "B",
                 "Output": {"caught": "{% $states.errorOutput.Error %}"},
                 "Assign": {"cause": "{% $states.errorOutput.Cause %}"}}],
      "End": true},
      "B": {"Type": "Pass", "Output": {"was": "{% $states.input.caught %}",
            "why": "{% $contains($cause, 'T1006: Attempted to invoke a non-function') %}"},
            "End": true})J"));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"was", "States.QueryEvaluationError"}, {"why", true}});
}

TEST_CASE("a JSONata Map iterates Items through ItemSelector", "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Map", "Items": "{% $states.input.xs %}",
      "ItemSelector": {"value": "{% $states.context.Map.Item.Value %}",
                       "index": "{% $states.context.Map.Item.Index %}"},
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass",
          "Output": "{% $states.input.value * 10 + $states.input.index %}", "End": true}}},
      "Output": "{% $sum($states.result) %}", "End": true})J"),
            json{{"xs", {1, 2, 3}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == 63);
}

TEST_CASE("Map Items that are not an array fail as AWS records", "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Map", "Items": "{% 'string' %}",
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
      "End": true})J"));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "MapStateEntered",
                                              "EvaluationFailed", "MapStateFailed",
                                              "ExecutionFailed"});
  CHECK(h.execution.cause() ==
        "An error occurred while executing the state 'A' (entered at the event id #2). The "
        "JSONata expression ''string'' specified for the field 'Items' returned an unexpected "
        "result type. Expected 'array', but was 'string' for value: \"string\"");

  Harness input(jsonata(R"J("A": {"Type": "Map",
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
      "End": true})J"),
                json{{"foo", "bar"}});
  input.run_to_end();
  CHECK(input.execution.cause() ==
        "An error occurred while executing the state 'A' (entered at the event id #2). Map state "
        "input must be an array but was: {\"foo\":\"bar\"}");
  CHECK(details_of(input, "EvaluationFailed").contains("location") == false);
}

TEST_CASE("a JSONata Wait waits the seconds or until the timestamp its expression gives",
          "[execution][jsonata]") {
  Harness seconds(jsonata(R"J("A": {"Type": "Wait", "Seconds": "{% $states.input.s %}",
      "End": true})J"),
                  json{{"s", 7}});
  seconds.run_to_end();
  REQUIRE(seconds.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(seconds.host.elapsed() == Approx(7.0));

  Harness bad(jsonata(R"J("A": {"Type": "Wait", "Timestamp": "{% $states.input.t %}",
      "End": true})J"),
              json{{"t", "2016-12-05 21:29:29Z"}});
  bad.run_to_end();
  REQUIRE(bad.execution.status() == ExecutionStatus::kFailed);
  CHECK(bad.execution.cause() ==
        "An error occurred while executing the state 'A' (entered at the event id #2). The "
        "Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format "
        "string: 2016-12-05 21:29:29Z");
  // Recorded on AWS: a Wait's EvaluationFailed links to WaitStateEntered.
  CHECK(bad.find("EvaluationFailed")->previous_event_id == 2);
}

TEST_CASE("a JSONata Fail takes its Error and Cause from expressions", "[execution][jsonata]") {
  Harness h(jsonata(R"J("A": {"Type": "Fail", "Error": "{% 'Bad.' & $states.input.kind %}",
      "Cause": "{% $string($states.input.n) %}"})J"),
            json{{"kind", "Input"}, {"n", 3}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "Bad.Input");
  CHECK(h.execution.cause() == "3");
}

TEST_CASE("JSONata and JSONPath states mix in one machine", "[execution][jsonata]") {
  Harness h(R"J({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"n": "{% $states.input.n %}"},
            "Output": {"m": "{% $states.input.n + 1 %}"}, "Next": "B"},
      "B": {"Type": "Pass", "Parameters": {"m.$": "$.m", "n.$": "$n"}, "End": true}}})J",
            json{{"n", 1}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"m", 2}, {"n", 1}});
}

TEST_CASE("a JSONata Task hands its token out through $states.context.Task.Token",
          "[execution][jsonata][callback]") {
  Harness h(jsonata(R"J("A": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Arguments": {"FunctionName": "f", "Payload": {"token": "{% $states.context.Task.Token %}"}},
      "End": true})J"));
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 1);
  const auto& task = h.host.last_task();
  CHECK_FALSE(task.task_token.empty());
  CHECK(task.input["Payload"]["token"] == task.task_token);
}
