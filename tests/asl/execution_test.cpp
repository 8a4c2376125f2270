#include <catch2/catch.hpp>

#include <string>

#include "loveless/asl/execution.hpp"
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

TEST_CASE("classify_resource tells activities, Lambda functions and integrations apart", "[execution]") {
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
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
  CHECK(h.execution.task_started(task.task_id, "worker-7") == TaskReport::kAccepted);
  CHECK(h.execution.task_succeeded(task.task_id, json{{"y", 2}}) == TaskReport::kAccepted);

  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"y", 2}});
  const auto& events = h.execution.history();
  REQUIRE(events.size() == 7);
  const std::vector<std::string> types = {"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                                          "ActivityStarted",  "ActivitySucceeded", "TaskStateExited",
                                          "ExecutionSucceeded"};
  const std::vector<std::int64_t> previous = {0, 0, 2, 3, 4, 5, 6};
  for (std::size_t i = 0; i < events.size(); ++i) {
    INFO("event " << i);
    CHECK(events[i].id == static_cast<std::int64_t>(i + 1));
    CHECK(events[i].type == types[i]);
    CHECK(events[i].previous_event_id == previous[i]);
  }
  CHECK(events[0].details_key == "executionStartedEventDetails");
  CHECK(events[0].details ==
        json{{"input", R"({"x":1})"},
             {"inputDetails", {{"truncated", false}}},
             {"roleArn", "arn:aws:iam::123456789012:role/StepFunctionsRole"}});
  CHECK(events[1].details_key == "stateEnteredEventDetails");
  CHECK(events[1].details ==
        json{{"name", "Work"}, {"input", R"({"x":1})"}, {"inputDetails", {{"truncated", false}}}});
  CHECK(events[2].details_key == "activityScheduledEventDetails");
  CHECK(events[2].details ==
        json{{"resource", kActivityArn}, {"input", R"({"x":1})"}, {"inputDetails", {{"truncated", false}}}});
  CHECK(events[3].details_key == "activityStartedEventDetails");
  CHECK(events[3].details == json{{"workerName", "worker-7"}});
  CHECK(events[4].details_key == "activitySucceededEventDetails");
  CHECK(events[4].details == json{{"output", R"({"y":2})"}, {"outputDetails", {{"truncated", false}}}});
  CHECK(events[5].details_key == "stateExitedEventDetails");
  CHECK(events[5].details ==
        json{{"name", "Work"}, {"output", R"({"y":2})"}, {"outputDetails", {{"truncated", false}}}});
  CHECK(events[6].details_key == "executionSucceededEventDetails");
  CHECK(events[6].details == json{{"output", R"({"y":2})"}, {"outputDetails", {{"truncated", false}}}});

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

TEST_CASE("a state chain transitions in order and chains previousEventIds", "[execution][history]") {
  Harness h(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Result":{"a":1},"Next":"B"},
      "B":{"Type":"Pass","ResultPath":"$.b","Result":2,"Next":"C"},
      "C":{"Type":"Succeed"}}})");
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"a", 1}, {"b", 2}});
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                              "PassStateEntered", "PassStateExited", "SucceedStateEntered",
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
