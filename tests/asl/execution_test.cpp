#include "loveless/asl/execution.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "virtual_host.hpp"

using loveless::asl::classify_resource;
using loveless::asl::ExecutionStatus;
using loveless::asl::ResourceKind;
using loveless::asl::TaskReport;
using loveless::asl::testing::Harness;
using nlohmann::json;

namespace {

const char* const kActivityArn = "arn:aws:states:us-east-1:123456789012:activity:work";

std::string one_activity(const std::string& extra = "") {
  return R"({"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":")" +
         std::string(kActivityArn) + "\"" + extra + R"(,"End":true}}})";
}

}  // namespace

TEST_CASE("classify_resource tells activities, Lambda functions and integrations apart",
          "[execution]") {
  CHECK(classify_resource("arn:aws:states:us-east-1:123456789012:activity:work") ==
        ResourceKind::kActivity);
  CHECK(classify_resource("arn:aws:lambda:us-east-1:123456789012:function:fn") ==
        ResourceKind::kLambdaArn);
  CHECK(classify_resource("arn:aws:lambda:us-east-1:123456789012:function:fn:prod") ==
        ResourceKind::kLambdaArn);
  CHECK(classify_resource("arn:aws:states:::lambda:invoke") == ResourceKind::kLambdaInvoke);
  CHECK(classify_resource("arn:aws:states:::lambda:invoke.waitForTaskToken") ==
        ResourceKind::kLambdaInvoke);
  CHECK(classify_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken") ==
        ResourceKind::kOther);
  CHECK(classify_resource("arn:aws:states:::dynamodb:putItem") == ResourceKind::kOther);
  CHECK(classify_resource("not-an-arn") == ResourceKind::kOther);
  CHECK(to_string(ExecutionStatus::kTimedOut) == "TIMED_OUT");
}

TEST_CASE("an activity that succeeds records the AWS event chain", "[execution][history]") {
  Harness h(one_activity(), json{{"x", 1}});
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 1);
  const auto task = h.host.last_task();
  CHECK(task.kind == ResourceKind::kActivity);
  CHECK(task.resource == kActivityArn);
  CHECK(task.input == json{{"x", 1}});
  CHECK(task.state_name == "Work");
  CHECK(task.task_token.size() >= 100);
  CHECK(task.task_token.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  CHECK(h.execution.task_started(task.task_id, "worker-7") == TaskReport::kAccepted);
  CHECK(h.execution.task_succeeded(task.task_id, json{{"y", 2}}) == TaskReport::kAccepted);

  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"y", 2}});
  const auto& events = h.execution.history();
  REQUIRE(events.size() == 7);
  const std::vector<std::string> types = {
      "ExecutionStarted",  "TaskStateEntered", "ActivityScheduled", "ActivityStarted",
      "ActivitySucceeded", "TaskStateExited",  "ExecutionSucceeded"};
  const std::vector<std::int64_t> previous = {0, 0, 2, 3, 4, 5, 6};
  for (std::size_t i = 0; i < events.size(); ++i) {
    INFO("event " << i);
    CHECK(events[i].id == static_cast<std::int64_t>(i + 1));
    CHECK(events[i].type == types[i]);
    CHECK(events[i].previous_event_id == previous[i]);
  }
  CHECK(events[0].details_key == "executionStartedEventDetails");
  CHECK(events[0].details == json{{"input", R"({"x":1})"},
                                  {"inputDetails", {{"truncated", false}}},
                                  {"roleArn", "arn:aws:iam::123456789012:role/StepFunctionsRole"}});
  CHECK(events[1].details_key == "stateEnteredEventDetails");
  CHECK(events[1].details ==
        json{{"name", "Work"}, {"input", R"({"x":1})"}, {"inputDetails", {{"truncated", false}}}});
  CHECK(events[2].details_key == "activityScheduledEventDetails");
  CHECK(events[2].details == json{{"resource", kActivityArn},
                                  {"input", R"({"x":1})"},
                                  {"inputDetails", {{"truncated", false}}}});
  CHECK(events[3].details_key == "activityStartedEventDetails");
  CHECK(events[3].details == json{{"workerName", "worker-7"}});
  CHECK(events[4].details_key == "activitySucceededEventDetails");
  CHECK(events[4].details ==
        json{{"output", R"({"y":2})"}, {"outputDetails", {{"truncated", false}}}});
  CHECK(events[5].details_key == "stateExitedEventDetails");
  CHECK(events[5].details == json{{"name", "Work"},
                                  {"output", R"({"y":2})"},
                                  {"outputDetails", {{"truncated", false}}}});
  CHECK(events[6].details_key == "executionSucceededEventDetails");
  CHECK(events[6].details ==
        json{{"output", R"({"y":2})"}, {"outputDetails", {{"truncated", false}}}});

  const json api = to_json(events[3]);
  CHECK(api["type"] == "ActivityStarted");
  CHECK(api["id"] == 4);
  CHECK(api["previousEventId"] == 3);
  CHECK(api["activityStartedEventDetails"]["workerName"] == "worker-7");
  CHECK(api["timestamp"].get<double>() == Approx(1704067200.0));
  CHECK_FALSE(to_json(h.execution.history()[0]).contains("stateEnteredEventDetails"));
}

TEST_CASE("ActivityScheduled carries timeout and heartbeat when given", "[execution][history]") {
  Harness h(one_activity(R"(,"TimeoutSeconds":30,"HeartbeatSeconds":10)"));
  h.execution.start();
  const auto& scheduled = h.execution.history()[2];
  CHECK(scheduled.details["timeoutInSeconds"] == 30);
  CHECK(scheduled.details["heartbeatInSeconds"] == 10);
  CHECK(h.host.last_task().timeout_seconds == 30);
  CHECK(h.host.last_task().heartbeat_seconds == 10);
}

TEST_CASE("a state chain transitions in order and chains previousEventIds",
          "[execution][history]") {
  Harness h(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Result":{"a":1},"Next":"B"},
      "B":{"Type":"Pass","ResultPath":"$.b","Result":2,"Next":"C"},
      "C":{"Type":"Succeed"}}})");
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"a", 1}, {"b", 2}});
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                              "PassStateExited", "PassStateEntered",
                                              "PassStateExited", "SucceedStateEntered",
                                              "SucceedStateExited", "ExecutionSucceeded"});
  const auto& events = h.execution.history();
  CHECK(events[1].previous_event_id == 0);
  CHECK(events[2].previous_event_id == 2);
  CHECK(events[3].previous_event_id == 3);
  CHECK(events[4].previous_event_id == 4);
  CHECK(events[7].previous_event_id == 7);
  CHECK(h.execution.state_transitions() == 3);
  CHECK(h.execution.stop_date().has_value());
}

TEST_CASE("input and output processing runs in AWS order", "[execution][io]") {
  // InputPath -> Parameters -> task -> ResultSelector -> ResultPath (into the
  // raw input) -> OutputPath.
  Harness h(R"({"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":")" +
                std::string(kActivityArn) + R"(",
      "InputPath":"$.in",
      "Parameters":{"value.$":"$.v","fixed":"f","name.$":"$$.State.Name"},
      "ResultSelector":{"picked.$":"$.r","all.$":"$"},
      "ResultPath":"$.out",
      "OutputPath":"$.out",
      "End":true}}})",
            json{{"in", {{"v", 5}}}, {"keep", true}});
  h.execution.start();
  CHECK(h.host.last_task().input == json{{"value", 5}, {"fixed", "f"}, {"name", "Work"}});
  h.execution.task_succeeded(h.host.last_task().task_id, json{{"r", 7}, {"s", 8}});
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"picked", 7}, {"all", {{"r", 7}, {"s", 8}}}});
}

TEST_CASE("ResultPath writes into the raw input, not the InputPath view", "[execution][io]") {
  Harness h(
      R"({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.a","ResultPath":"$.r","End":true}}})",
      json{{"a", {{"x", 1}}}, {"b", 2}});
  h.run_to_end();
  CHECK(*h.execution.output() == json{{"a", {{"x", 1}}}, {"b", 2}, {"r", {{"x", 1}}}});
}

TEST_CASE("null InputPath, OutputPath and ResultPath follow AWS", "[execution][io]") {
  SECTION("null InputPath gives the state {}") {
    Harness h(R"({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":null,"End":true}}})",
              json{{"a", 1}});
    h.run_to_end();
    CHECK(*h.execution.output() == json::object());
  }
  SECTION("null OutputPath outputs {}") {
    Harness h(R"({"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":null,"End":true}}})",
              json{{"a", 1}});
    h.run_to_end();
    CHECK(*h.execution.output() == json::object());
  }
  SECTION("null ResultPath discards the result and keeps the input") {
    Harness h(
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"z":9},"ResultPath":null,"End":true}}})",
        json{{"a", 1}});
    h.run_to_end();
    CHECK(*h.execution.output() == json{{"a", 1}});
  }
  SECTION("a null ResultPath on a Task keeps the input") {
    Harness h(one_activity(R"(,"ResultPath":null)"), json{{"a", 1}});
    h.execution.start();
    h.execution.task_succeeded(h.host.last_task().task_id, json{{"b", 2}});
    CHECK(*h.execution.output() == json{{"a", 1}});
  }
}

TEST_CASE("path failures raise the errors AWS raises", "[execution][io]") {
  SECTION("InputPath that matches nothing: States.Runtime") {
    Harness h(
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}})");
    h.run_to_end();
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.error() == "States.Runtime");
    CHECK(h.execution.cause().find(
              "An error occurred while executing the state 'P' (entered at the event id #2)") == 0);
    CHECK(h.execution.history().back().type == "ExecutionFailed");
    CHECK(h.execution.history().back().previous_event_id == 2);
  }
  SECTION("InputPath whose last segment is missing: AWS quotes Jayway's reason") {
    Harness h(
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}})",
        json{{"a", 1}});
    h.run_to_end();
    CHECK(h.execution.cause() ==
          "An error occurred while executing the state 'P' (entered at the event id #2). "
          "Invalid path '$.missing' : No results for path: $['missing']");
  }
  SECTION("OutputPath whose earlier segment is missing: States.Runtime") {
    Harness h(
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":"$.no.such","End":true}}})");
    h.run_to_end();
    CHECK(h.execution.error() == "States.Runtime");
    CHECK(h.execution.cause() ==
          "An error occurred while executing the state 'P' (entered at the event id #2). "
          "Invalid path '$.no.such' : Missing property in path $['no']");
  }
  SECTION("Parameters path that matches nothing: States.Runtime quoting the state input") {
    Harness h(
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}}})",
        json{{"a", 1}});
    h.run_to_end();
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.error() == "States.Runtime");
    CHECK(h.execution.cause() ==
          "An error occurred while executing the state 'P' (entered at the event id #2). "
          R"(The JSONPath '$.missing' specified for the field 'x.$' could not be found in the )"
          R"(input '{"a":1}')");
  }
  SECTION("a Catch, even on States.Runtime, does not take a Parameters path failure") {
    Harness h(R"({"StartAt":"P","States":{"P":{"Type":"Task","Resource":")" +
              std::string(kActivityArn) +
              R"(","Parameters":{"x.$":"$.missing"},
            "Retry":[{"ErrorEquals":["States.Runtime"]}],
            "Catch":[{"ErrorEquals":["States.Runtime"],"Next":"H"},{"ErrorEquals":["States.ALL"],"Next":"H"}],
            "End":true},"H":{"Type":"Succeed"}}})");
    h.run_to_end();
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.error() == "States.Runtime");
    CHECK(h.host.scheduled.empty());
    CHECK(h.types() ==
          std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"});
  }
  SECTION("ResultSelector path that matches nothing: States.Runtime") {
    Harness h(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" +
              std::string(kActivityArn) +
              R"(","ResultSelector":{"r.$":"$.missing"},"End":true}}})");
    h.execution.start();
    h.execution.task_succeeded(h.host.last_task().task_id, json{{"b", 2}});
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.error() == "States.Runtime");
    CHECK_THAT(h.execution.cause(),
               Catch::StartsWith("An error occurred while executing the state 'T' (entered at "
                                 "the event id #2). The JSONPath '$.missing' specified for the "
                                 "field 'r.$' could not be found in the input '"));
  }
  SECTION("ResultPath through a non-object: States.ResultPathMatchFailure") {
    Harness h(
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}}})",
        json{{"a", "text"}});
    h.run_to_end();
    CHECK(h.execution.error() == "States.ResultPathMatchFailure");
  }
  SECTION("a failed intrinsic: States.IntrinsicFailure") {
    Harness h(
        R"J({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"States.ArrayGetItem($.a, 5)"},"End":true}}})J",
        json{{"a", {1, 2}}});
    h.run_to_end();
    CHECK(h.execution.error() == "States.IntrinsicFailure");
  }
}

TEST_CASE("an output over 262,144 bytes fails with States.DataLimitExceeded", "[execution][io]") {
  Harness h(
      R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"big.$":"$.s","again.$":"$.s"},"End":true}}})",
      json{{"s", std::string(140000, 'x')}});
  h.run_to_end();
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.DataLimitExceeded");
  CHECK(h.count("PassStateExited") == 0);
}

TEST_CASE("Pass with Result, Parameters and intrinsics", "[execution][pass]") {
  Harness h(R"J({"StartAt":"A","States":{
      "A":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('Hello {}', $.name)","n":1},"ResultPath":"$.p","Next":"B"},
      "B":{"Type":"Pass","Result":{"fixed":true},"ResultPath":"$.r","End":true}}})J",
            json{{"name", "Ada"}});
  h.run_to_end();
  CHECK(*h.execution.output() == json{{"name", "Ada"},
                                      {"p", {{"greeting", "Hello Ada"}, {"n", 1}}},
                                      {"r", {{"fixed", true}}}});
}

TEST_CASE("the context object carries Execution, State, StateMachine and Task",
          "[execution][context]") {
  Harness h(R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Parameters":{"ctx.$":"$$"},"Next":"T"},
      "T":{"Type":"Task","Resource":")" +
                std::string(kActivityArn) + R"(",
           "Parameters":{"token.$":"$$.Task.Token","retry.$":"$$.State.RetryCount","entered.$":"$$.State.EnteredTime"},
           "End":true}}})",
            json{{"in", 1}});
  h.execution.start();
  const auto& task = h.host.last_task();
  const json ctx =
      h.execution.history()[2].details["output"].is_string()
          ? json::parse(h.execution.history()[2].details["output"].get<std::string>())["ctx"]
          : json();
  CHECK(ctx["Execution"] ==
        json{{"Id", "arn:aws:states:us-east-1:123456789012:execution:Machine:run-1"},
             {"Input", {{"in", 1}}},
             {"Name", "run-1"},
             {"RoleArn", "arn:aws:iam::123456789012:role/StepFunctionsRole"},
             {"StartTime", "2024-01-01T00:00:00.000Z"},
             {"RedriveCount", 0}});
  // Recorded on AWS: a Pass state's State has no RetryCount (a Task's has).
  CHECK(ctx["State"] == json{{"EnteredTime", "2024-01-01T00:00:00.000Z"}, {"Name", "P"}});
  CHECK(ctx["StateMachine"] ==
        json{{"Id", "arn:aws:states:us-east-1:123456789012:stateMachine:Machine"},
             {"Name", "Machine"}});
  CHECK_FALSE(ctx.contains("Task"));
  CHECK(task.input["token"] == task.task_token);
  CHECK(task.input["retry"] == 0);
  CHECK(task.input["entered"] == "2024-01-01T00:00:00.000Z");
}

TEST_CASE("Choice picks the first matching rule, then Default, else NoChoiceMatched",
          "[execution][choice]") {
  const std::string definition = R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[
          {"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"},
          {"Variable":"$.n","NumericGreaterThan":5,"Next":"Medium"}],
        "Default":"Small"},
      "Big":{"Type":"Pass","Result":"big","End":true},
      "Medium":{"Type":"Pass","Result":"medium","End":true},
      "Small":{"Type":"Pass","Result":"small","End":true}}})";
  for (const auto& [n, expected] :
       std::vector<std::pair<int, std::string>>{{20, "big"}, {7, "medium"}, {1, "small"}}) {
    Harness h(definition, json{{"n", n}});
    h.run_to_end();
    CHECK(*h.execution.output() == expected);
    CHECK(h.types()[1] == "ChoiceStateEntered");
    CHECK(h.types()[2] == "ChoiceStateExited");
  }
  Harness none(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"X"}]},
      "X":{"Type":"Succeed"}}})",
               json{{"n", 2}});
  none.run_to_end();
  CHECK(none.execution.error() == "States.NoChoiceMatched");
  CHECK(none.execution.cause() ==
        "An error occurred while executing the state 'C' (entered at the event id #2). No Choice "
        "Rules "
        "matched and no Default was specified");
  CHECK(none.count("ChoiceStateExited") == 0);
}

TEST_CASE("Choice applies InputPath and OutputPath", "[execution][choice]") {
  Harness h(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","InputPath":"$.a","OutputPath":"$.b","Choices":[{"Variable":"$.b","IsPresent":true,"Next":"E"}]},
      "E":{"Type":"Succeed"}}})",
            json{{"a", {{"b", 3}}}});
  h.run_to_end();
  CHECK(*h.execution.output() == 3);
}

TEST_CASE("Wait waits on the host clock for each of its four forms", "[execution][wait]") {
  SECTION("Seconds") {
    Harness h(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}})",
              json{{"a", 1}});
    h.execution.start();
    CHECK(h.execution.status() == ExecutionStatus::kRunning);
    CHECK(h.types().back() == "WaitStateEntered");
    h.host.run_for(29);
    CHECK(h.execution.status() == ExecutionStatus::kRunning);
    h.host.run_for(1);
    CHECK(h.execution.status() == ExecutionStatus::kSucceeded);
    CHECK(*h.execution.output() == json{{"a", 1}});
    CHECK(h.find("WaitStateExited")->timestamp == loveless::asl::testing::at_seconds(1704067230));
  }
  SECTION("SecondsPath") {
    Harness h(R"({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}})",
              json{{"s", 5}});
    h.run_to_end();
    CHECK(h.host.elapsed() == Approx(5));
    CHECK(h.execution.status() == ExecutionStatus::kSucceeded);
  }
  SECTION("SecondsPath that is not a non-negative integer fails with States.Runtime") {
    Harness h(R"({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}})",
              json{{"s", "x"}});
    h.run_to_end();
    CHECK(h.execution.error() == "States.Runtime");
  }
  SECTION("Timestamp") {
    Harness h(
        R"({"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2024-01-01T00:01:00Z","End":true}}})");
    h.run_to_end();
    CHECK(h.host.elapsed() == Approx(60));
    CHECK(h.execution.status() == ExecutionStatus::kSucceeded);
  }
  SECTION("TimestampPath in the past does not wait") {
    Harness h(R"({"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t","End":true}}})",
              json{{"t", "2020-01-01T00:00:00Z"}});
    h.execution.start();
    CHECK(h.execution.status() == ExecutionStatus::kSucceeded);
    CHECK(h.host.elapsed() == Approx(0));
  }
  SECTION("TimestampPath with an offset") {
    Harness h(R"({"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t","End":true}}})",
              json{{"t", "2024-01-01T01:00:10+01:00"}});
    h.run_to_end();
    CHECK(h.host.elapsed() == Approx(10));
  }
}

TEST_CASE("Fail ends the execution with its Error and Cause", "[execution][fail]") {
  SECTION("literal") {
    Harness h(
        R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"MyError","Cause":"because"}}})");
    h.run_to_end();
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.error() == "MyError");
    CHECK(h.execution.cause() == "because");
    CHECK(h.types() ==
          std::vector<std::string>{"ExecutionStarted", "FailStateEntered", "ExecutionFailed"});
    const auto& failed = h.execution.history()[2];
    CHECK(failed.previous_event_id == 2);
    CHECK(failed.details_key == "executionFailedEventDetails");
    CHECK(failed.details == json{{"error", "MyError"}, {"cause", "because"}});
  }
  SECTION("paths") {
    Harness h(
        R"J({"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('c={}', $.c)"}}})J",
        json{{"e", "E1"}, {"c", 3}});
    h.run_to_end();
    CHECK(h.execution.error() == "E1");
    CHECK(h.execution.cause() == "c=3");
  }
  SECTION("no cause: the field is omitted") {
    Harness h(R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}})");
    h.run_to_end();
    CHECK(h.execution.history().back().details == json{{"error", "E"}});
  }
}

TEST_CASE("Succeed applies InputPath and OutputPath", "[execution][succeed]") {
  Harness h(
      R"({"StartAt":"S","States":{"S":{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}}})",
      json{{"a", {{"b", {1, 2}}}}});
  h.run_to_end();
  CHECK(*h.execution.output() == json{1, 2});
}

TEST_CASE("an internal error fails the execution with States.Runtime instead of throwing",
          "[execution]") {
  Harness h(one_activity());
  h.host.throw_on_schedule = true;
  REQUIRE_NOTHROW(h.execution.start());
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.Runtime");
  CHECK(h.execution.history().back().type == "ExecutionFailed");
}

TEST_CASE("reports about unknown tasks and timers are stale and change nothing", "[execution]") {
  Harness h(one_activity());
  h.execution.start();
  CHECK(h.execution.task_succeeded(999, json::object()) == TaskReport::kStale);
  CHECK(h.execution.task_started(999, "w") == TaskReport::kStale);
  CHECK(h.execution.task_heartbeat(999) == TaskReport::kStale);
  CHECK(h.execution.task_failed(999, "E", "c") == TaskReport::kStale);
  h.execution.timer_fired(12345);
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
}
