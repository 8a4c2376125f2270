#include <string>

#include <catch2/catch.hpp>

#include "loveless/asl/execution.hpp"

#include "virtual_host.hpp"

using loveless::asl::ExecutionStatus;
using loveless::asl::ResourceKind;
using loveless::asl::TaskReport;
using loveless::asl::testing::Harness;
using nlohmann::json;

namespace {

const std::string kTaskActivityArn = "arn:aws:states:us-east-1:123456789012:activity:work";

std::string task_state(const std::string& extra, const std::string& resource = kTaskActivityArn) {
  return R"({"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":")" + resource + "\"" +
         extra + R"(,"End":true}}})";
}

/// The definition with a second state `H` (Pass, End) to catch into.
std::string with_handler(std::string definition) {
  const std::string end = R"("End":true}})";
  definition.replace(definition.rfind(end), end.size(),
                     R"("End":true},"H":{"Type":"Pass","End":true}})");
  return definition;
}

/// Fails the current task and returns the seconds until the next attempt was
/// scheduled (0 when no new attempt followed).
double fail_and_measure(Harness& h, const std::string& error) {
  const std::size_t before = h.host.scheduled.size();
  const double start = h.host.elapsed();
  h.execution.task_failed(h.host.last_task().task_id, error, "boom");
  while (h.host.scheduled.size() == before && h.execution.status() == ExecutionStatus::kRunning &&
         h.host.fire_next_timer()) {
  }
  return h.host.scheduled.size() > before ? h.host.elapsed() - start : 0.0;
}

}  // namespace

TEST_CASE("Retry waits IntervalSeconds, then multiplies by BackoffRate", "[execution][retry]") {
  Harness h(task_state(
      R"(,"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":3}])"));
  h.execution.start();
  CHECK(fail_and_measure(h, "E") == Approx(2));
  CHECK(fail_and_measure(h, "E") == Approx(6));
  CHECK(fail_and_measure(h, "E") == Approx(18));
  CHECK(fail_and_measure(h, "E") == 0.0);
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "E");
  CHECK(h.execution.cause() == "boom");
  CHECK(h.host.scheduled.size() == 4);
  // Retries add no event of their own; each attempt repeats Scheduled/Failed.
  CHECK(h.count("TaskStateEntered") == 1);
  CHECK(h.count("ActivityScheduled") == 4);
  CHECK(h.count("ActivityFailed") == 4);
  const auto* second_schedule = h.find("ActivityScheduled", 1);
  REQUIRE(second_schedule != nullptr);
  CHECK(second_schedule->previous_event_id == h.find("ActivityFailed", 0)->id);
  CHECK(h.find("ActivityFailed")->details == json{{"error", "E"}, {"cause", "boom"}});
}

TEST_CASE("Retry defaults: 1 second, 3 attempts, backoff 2.0", "[execution][retry]") {
  Harness h(task_state(R"(,"Retry":[{"ErrorEquals":["States.ALL"]}])"));
  h.execution.start();
  CHECK(fail_and_measure(h, "X") == Approx(1));
  CHECK(fail_and_measure(h, "X") == Approx(2));
  CHECK(fail_and_measure(h, "X") == Approx(4));
  CHECK(fail_and_measure(h, "X") == 0.0);
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
}

TEST_CASE("MaxDelaySeconds caps the interval", "[execution][retry]") {
  Harness h(task_state(
      R"(,"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":4,"MaxAttempts":4,"BackoffRate":3,"MaxDelaySeconds":10}])"));
  h.execution.start();
  CHECK(fail_and_measure(h, "E") == Approx(4));
  CHECK(fail_and_measure(h, "E") == Approx(10));
  CHECK(fail_and_measure(h, "E") == Approx(10));
}

TEST_CASE("FULL jitter draws the delay from [0, interval]", "[execution][retry]") {
  bool saw_different = false;
  double first = -1;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Harness h(
        task_state(
            R"(,"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"MaxAttempts":2,"JitterStrategy":"FULL"}])"),
        json::object(), seed);
    h.execution.start();
    const double delay = fail_and_measure(h, "E");
    CHECK(delay >= 0.0);
    CHECK(delay <= 10.0);
    const double second = fail_and_measure(h, "E");
    CHECK(second <= 20.0);
    if (first >= 0 && delay != first) saw_different = true;
    first = delay;
  }
  CHECK(saw_different);
}

TEST_CASE("MaxAttempts 0 never retries", "[execution][retry]") {
  Harness h(task_state(
      R"(,"Retry":[{"ErrorEquals":["E"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"]}])"));
  h.execution.start();
  CHECK(fail_and_measure(h, "E") == 0.0);
  // The first matching retrier decides; the States.ALL one is not consulted.
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.host.scheduled.size() == 1);
}

TEST_CASE("each retrier counts its own attempts, RetryCount counts them all",
          "[execution][retry]") {
  Harness h(task_state(
      R"(,"Parameters":{"retry.$":"$$.State.RetryCount"},"Retry":[{"ErrorEquals":["A"],"MaxAttempts":1,"IntervalSeconds":1},{"ErrorEquals":["B"],"MaxAttempts":2,"IntervalSeconds":5,"BackoffRate":1}])"));
  h.execution.start();
  CHECK(h.host.last_task().input["retry"] == 0);
  CHECK(fail_and_measure(h, "A") == Approx(1));
  CHECK(h.host.last_task().input["retry"] == 1);
  CHECK(fail_and_measure(h, "B") == Approx(5));
  CHECK(h.host.last_task().input["retry"] == 2);
  CHECK(fail_and_measure(h, "B") == Approx(5));
  CHECK(h.host.last_task().input["retry"] == 3);
  CHECK(fail_and_measure(h, "A") == 0.0);  // A's single attempt is spent
  CHECK(h.execution.error() == "A");
}

TEST_CASE("retry counters reset when the state is entered anew", "[execution][retry]") {
  const std::string definition = R"({"StartAt":"Work","States":{
      "Work":{"Type":"Task","Resource":")" +
                                 kTaskActivityArn + R"(",
        "Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],"Next":"Again"},
      "Again":{"Type":"Choice","Choices":[{"Variable":"$.done","IsPresent":true,"Next":"End"}],"Default":"Work"},
      "End":{"Type":"Succeed"}}})";
  Harness h(definition);
  h.execution.start();
  CHECK(fail_and_measure(h, "E") == Approx(1));
  h.execution.task_succeeded(h.host.last_task().task_id, json::object());
  // Back in Work: a fresh run of the state has its retry budget again.
  CHECK(h.count("TaskStateEntered") == 2);
  CHECK(fail_and_measure(h, "E") == Approx(1));
  h.execution.task_succeeded(h.host.last_task().task_id, json{{"done", true}});
  CHECK(h.execution.status() == ExecutionStatus::kSucceeded);
}

TEST_CASE("Catch after retries are exhausted, with ResultPath", "[execution][catch]") {
  const std::string definition = R"({"StartAt":"Work","States":{
      "Work":{"Type":"Task","Resource":")" +
                                 kTaskActivityArn + R"(",
        "Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],
        "Catch":[{"ErrorEquals":["Other"],"Next":"Wrong"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handled"}],
        "End":true},
      "Wrong":{"Type":"Fail","Error":"Wrong"},
      "Handled":{"Type":"Pass","End":true}}})";
  Harness h(definition, json{{"a", 1}});
  h.execution.start();
  fail_and_measure(h, "E");
  h.execution.task_failed(h.host.last_task().task_id, "E", "second");
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"a", 1}, {"err", {{"Error", "E"}, {"Cause", "second"}}}});
  const auto* exited = h.find("TaskStateExited");
  REQUIRE(exited != nullptr);
  CHECK(exited->previous_event_id == h.find("ActivityFailed", 1)->id);
  CHECK(h.find("PassStateEntered")->previous_event_id == exited->id);
}

TEST_CASE("Catch without ResultPath replaces the input with {Error, Cause}", "[execution][catch]") {
  Harness h(
      with_handler(task_state(R"(,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"H"}])")),
      json{{"a", 1}});
  h.execution.start();
  h.execution.task_failed(h.host.last_task().task_id, "Custom.Error", "why");
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"Error", "Custom.Error"}, {"Cause", "why"}});
}

TEST_CASE("no Retry or Catch takes States.Runtime, not even one naming it", "[execution][catch]") {
  // Recorded on AWS: a Catch on ["States.Runtime"] let a failed OutputPath end
  // the execution right after the task succeeded.
  for (const std::string error_equals : {R"("States.ALL")", R"("States.Runtime")"}) {
    INFO(error_equals);
    Harness h(R"({"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":")" + kTaskActivityArn +
              R"(","OutputPath":"$.missing","Retry":[{"ErrorEquals":[)" + error_equals +
              R"(]}],"Catch":[{"ErrorEquals":[)" + error_equals + R"(],"Next":"H"}],"End":true},
            "H":{"Type":"Succeed"}}})");
    h.execution.start();
    h.execution.task_succeeded(h.host.last_task().task_id, json::object());
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.error() == "States.Runtime");
    CHECK(h.host.scheduled.size() == 1);
    CHECK(h.types().back() == "ExecutionFailed");
    CHECK(h.find("ExecutionFailed")->previous_event_id == h.find("ActivitySucceeded")->id);
  }
}

TEST_CASE("TimeoutSeconds counts from the task's start", "[execution][timeout]") {
  Harness h(task_state(R"(,"TimeoutSeconds":10)"));
  h.execution.start();
  const auto task = h.host.last_task();
  h.host.advance(100);  // nobody polls: no clock runs yet
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
  h.execution.task_started(task.task_id, "w1");
  h.host.run_for(9.5);
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
  h.host.run_for(1);
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.Timeout");
  const auto* timed_out = h.find("ActivityTimedOut");
  REQUIRE(timed_out != nullptr);
  CHECK(timed_out->details_key == "activityTimedOutEventDetails");
  // Recorded on AWS: States.Timeout and no cause, on the event and on the
  // execution.
  CHECK(timed_out->details == json{{"error", "States.Timeout"}});
  CHECK(timed_out->previous_event_id == h.find("ActivityStarted")->id);
  CHECK(h.execution.cause().empty());
  CHECK(h.find("ExecutionFailed")->details == json{{"error", "States.Timeout"}});
  CHECK(h.host.cancelled_tasks == std::vector<std::uint64_t>{task.task_id});
  // The worker's late answer is stale.
  CHECK(h.execution.task_succeeded(task.task_id, json::object()) == TaskReport::kStale);
}

TEST_CASE("TimeoutSecondsPath and HeartbeatSecondsPath read the input", "[execution][timeout]") {
  Harness h(task_state(R"(,"TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h")"),
            json{{"t", 60}, {"h", 5}});
  h.execution.start();
  CHECK(h.host.last_task().timeout_seconds == 60);
  CHECK(h.host.last_task().heartbeat_seconds == 5);
  Harness bad(task_state(R"(,"TimeoutSecondsPath":"$.t")"), json{{"t", -1}});
  bad.execution.start();
  CHECK(bad.execution.error() == "States.Runtime");
}

TEST_CASE("a missed heartbeat times the task out, heartbeats keep it alive",
          "[execution][heartbeat]") {
  Harness h(task_state(R"(,"TimeoutSeconds":100,"HeartbeatSeconds":10)"));
  h.execution.start();
  const auto task = h.host.last_task();
  h.execution.task_started(task.task_id, "w1");
  for (int i = 0; i < 5; ++i) {
    h.host.run_for(8);
    CHECK(h.execution.task_heartbeat(task.task_id) == TaskReport::kAccepted);
  }
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
  // No history event for heartbeats.
  CHECK(h.execution.history().size() == 4);
  h.host.run_for(10);
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.host.elapsed() == Approx(50));
  CHECK(h.execution.error() == "States.Timeout");
  CHECK(h.find("ActivityTimedOut")->details == json{{"error", "States.Timeout"}});
  CHECK(h.execution.cause().empty());
  CHECK(h.execution.task_heartbeat(task.task_id) == TaskReport::kStale);
}

TEST_CASE("a retrier naming States.HeartbeatTimeout fires on a missed heartbeat",
          "[execution][heartbeat]") {
  Harness h(with_handler(task_state(
      R"(,"HeartbeatSeconds":5,"Retry":[{"ErrorEquals":["States.HeartbeatTimeout"],"MaxAttempts":1}],"Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"H"}])")));
  h.execution.start();
  h.execution.task_started(h.host.last_task().task_id, "w1");
  h.host.run_for(5);
  h.host.fire_next_timer();  // the retry delay
  REQUIRE(h.host.scheduled.size() == 2);
  h.execution.task_started(h.host.last_task().task_id, "w2");
  h.host.run_for(5);
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  // Recorded on AWS: a caught timeout gives the catcher an empty Cause.
  CHECK(*h.execution.output() == json{{"Error", "States.Timeout"}, {"Cause", ""}});
  CHECK(h.count("ActivityTimedOut") == 2);
}

TEST_CASE("a retrier naming States.HeartbeatTimeout ignores a TimeoutSeconds expiry",
          "[execution][heartbeat]") {
  Harness h(
      task_state(R"(,"TimeoutSeconds":5,"Retry":[{"ErrorEquals":["States.HeartbeatTimeout"]}])"));
  h.execution.start();
  h.execution.task_started(h.host.last_task().task_id, "w1");
  h.host.run_for(5);
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.host.scheduled.size() == 1);
}

TEST_CASE("reports after the task closed are stale", "[execution][stale]") {
  Harness h(task_state(R"(,"Retry":[{"ErrorEquals":["E"]}])"));
  h.execution.start();
  const auto first = h.host.last_task();
  h.execution.task_started(first.task_id, "w1");
  CHECK(h.execution.task_started(first.task_id, "w1") == TaskReport::kStale);
  h.execution.task_failed(first.task_id, "E", "");
  const auto events = h.execution.history().size();
  CHECK(h.execution.task_succeeded(first.task_id, json::object()) == TaskReport::kStale);
  CHECK(h.execution.task_failed(first.task_id, "E", "") == TaskReport::kStale);
  CHECK(h.execution.task_heartbeat(first.task_id) == TaskReport::kStale);
  CHECK(h.execution.history().size() == events);
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
  // Failed with an empty cause: the field is omitted.
  CHECK(h.find("ActivityFailed")->details == json{{"error", "E"}});
}

TEST_CASE("a schedule failure records ActivityScheduleFailed and applies Retry",
          "[execution][task]") {
  // A host that took the task and then could not queue it (a missing activity
  // no longer gets here: resource_problem() fails the state before scheduling).
  Harness h(task_state(R"(,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":1}])"));
  h.execution.start();
  h.execution.task_schedule_failed(h.host.last_task().task_id, "Queue.Unavailable",
                                   "the queue is full");
  const auto* failed = h.find("ActivityScheduleFailed");
  REQUIRE(failed != nullptr);
  CHECK(failed->details_key == "activityScheduleFailedEventDetails");
  CHECK(failed->details == json{{"error", "Queue.Unavailable"}, {"cause", "the queue is full"}});
  CHECK(failed->previous_event_id == h.find("ActivityScheduled")->id);
  h.host.fire_next_timer();
  CHECK(h.host.scheduled.size() == 2);
}

TEST_CASE("a resource the host finds missing fails the state before scheduling",
          "[execution][task]") {
  // Recorded on AWS for an activity that does not exist: States.Runtime with
  // the state prefix, no ActivityScheduled, and no Retry or Catch applies.
  Harness h(with_handler(task_state(
      R"(,"Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}])")));
  h.host.resource_problem_text = "The activity " + kTaskActivityArn + " does not exist.";
  h.execution.start();
  CHECK(h.host.scheduled.empty());
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.Runtime");
  CHECK(h.execution.cause() ==
        "An error occurred while executing the state 'Work' (entered at the event id #2). "
        "The activity " +
            kTaskActivityArn + " does not exist.");
  CHECK(h.types() ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"});
  CHECK(h.find("ExecutionFailed")->previous_event_id == 2);
}

TEST_CASE("a Lambda function ARN records LambdaFunction* events", "[execution][lambda]") {
  Harness h(
      task_state(R"(,"TimeoutSeconds":30)", "arn:aws:lambda:us-east-1:123456789012:function:fn"),
      json{{"a", 1}});
  h.execution.start();
  CHECK(h.host.last_task().kind == ResourceKind::kLambdaArn);
  h.execution.task_started(h.host.last_task().task_id, "");
  h.execution.task_succeeded(h.host.last_task().task_id, json{{"r", 1}});
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                              "LambdaFunctionScheduled", "LambdaFunctionStarted",
                                              "LambdaFunctionSucceeded", "TaskStateExited",
                                              "ExecutionSucceeded"});
  CHECK(h.find("LambdaFunctionScheduled")->details ==
        json{{"resource", "arn:aws:lambda:us-east-1:123456789012:function:fn"},
             {"input", R"({"a":1})"},
             {"inputDetails", {{"truncated", false}}},
             {"timeoutInSeconds", 30}});
  CHECK(h.find("LambdaFunctionStarted")->details_key.empty());
  CHECK(h.find("LambdaFunctionSucceeded")->details_key == "lambdaFunctionSucceededEventDetails");
  CHECK(*h.execution.output() == json{{"r", 1}});
}

TEST_CASE("lambda:invoke records Task* events around the host's Invoke response",
          "[execution][lambda]") {
  Harness h(task_state(R"(,"Parameters":{"FunctionName":"fn","Payload.$":"$"})",
                       "arn:aws:states:::lambda:invoke"),
            json{{"a", 1}});
  h.execution.start();
  const auto task = h.host.last_task();
  CHECK(task.kind == ResourceKind::kLambdaInvoke);
  CHECK(task.input == json{{"FunctionName", "fn"}, {"Payload", {{"a", 1}}}});
  h.execution.task_started(task.task_id, "");
  // The host (the engine) builds Lambda's Invoke response; the interpreter
  // records it as it is.
  const json expected = {
      {"ExecutedVersion", "$LATEST"}, {"Payload", {{"r", 1}}}, {"StatusCode", 200}};
  h.execution.task_succeeded(task.task_id, expected);
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == expected);
  CHECK(h.find("TaskScheduled")->details ==
        json{{"resourceType", "lambda"},
             {"resource", "invoke"},
             {"region", "us-east-1"},
             {"parameters", R"({"FunctionName":"fn","Payload":{"a":1}})"}});
  CHECK(h.find("TaskStarted")->details == json{{"resourceType", "lambda"}, {"resource", "invoke"}});
  CHECK(h.find("TaskSucceeded")->details == json{{"resourceType", "lambda"},
                                                 {"resource", "invoke"},
                                                 {"output", expected.dump()},
                                                 {"outputDetails", {{"truncated", false}}}});
}

TEST_CASE("lambda:invoke.waitForTaskToken returns the task output as sent", "[execution][lambda]") {
  Harness h(
      task_state(R"(,"Parameters":{"FunctionName":"fn","Payload":{"token.$":"$$.Task.Token"}})",
                 "arn:aws:states:::lambda:invoke.waitForTaskToken"));
  h.execution.start();
  const auto task = h.host.last_task();
  CHECK(task.input["Payload"]["token"] == task.task_token);
  h.execution.task_failed(task.task_id, "Lambda.Unknown", "out of memory");
  CHECK(h.execution.error() == "Lambda.Unknown");
  CHECK(h.find("TaskFailed")->details == json{{"resourceType", "lambda"},
                                              {"resource", "invoke.waitForTaskToken"},
                                              {"error", "Lambda.Unknown"},
                                              {"cause", "out of memory"}});
}

TEST_CASE("a .waitForTaskToken task records TaskSubmitted and stays open for its token",
          "[execution][lambda]") {
  Harness h(task_state(
      R"(,"HeartbeatSeconds":5,"Parameters":{"FunctionName":"fn","Payload":{"token.$":"$$.Task.Token"}})",
      "arn:aws:states:::lambda:invoke.waitForTaskToken"));
  h.execution.start();
  const auto task = h.host.last_task();
  const json response = {{"StatusCode", 200}, {"Payload", nullptr}};
  // Not started yet: nothing to submit.
  CHECK(h.execution.task_submitted(task.task_id, response) == TaskReport::kStale);
  REQUIRE(h.execution.task_started(task.task_id, "") == TaskReport::kAccepted);
  REQUIRE(h.execution.task_submitted(task.task_id, response) == TaskReport::kAccepted);
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
  const auto* submitted = h.find("TaskSubmitted");
  REQUIRE(submitted != nullptr);
  CHECK(submitted->details_key == "taskSubmittedEventDetails");
  CHECK(submitted->details == json{{"resourceType", "lambda"},
                                   {"resource", "invoke.waitForTaskToken"},
                                   {"output", response.dump()},
                                   {"outputDetails", {{"truncated", false}}}});
  CHECK(h.execution.task_heartbeat(task.task_id) == TaskReport::kAccepted);
  REQUIRE(h.execution.task_succeeded(task.task_id, json{{"done", true}}) == TaskReport::kAccepted);
  CHECK(*h.execution.output() == json{{"done", true}});
  const auto& history = h.execution.history();
  CHECK(history[4].type == "TaskSubmitted");
  CHECK(history[4].previous_event_id == history[3].id);
  CHECK(history[5].type == "TaskSucceeded");
  CHECK(history[5].previous_event_id == history[4].id);
  // Closed: a late submission is stale.
  CHECK(h.execution.task_submitted(task.task_id, response) == TaskReport::kStale);
}

TEST_CASE("a service integration that cannot start records TaskStartFailed", "[execution][task]") {
  Harness h(task_state("", "arn:aws:states:::sqs:sendMessage"));
  h.execution.start();
  h.execution.task_schedule_failed(h.host.last_task().task_id, "States.Runtime", "unsupported");
  CHECK(h.find("TaskStartFailed") != nullptr);
  CHECK(h.find("TaskStartFailed")->details_key == "taskStartFailedEventDetails");
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
}

TEST_CASE("task tokens are unique per task and per execution", "[execution][task]") {
  Harness a(task_state(R"(,"Retry":[{"ErrorEquals":["E"]}])"));
  Harness b(task_state(""));
  a.execution.start();
  b.execution.start();
  const std::string first = a.host.last_task().task_token;
  fail_and_measure(a, "E");
  CHECK(a.host.last_task().task_token != first);
  CHECK(a.host.last_task().task_id != a.host.scheduled.front().task_id);
  CHECK(b.host.last_task().task_token.size() <= 2048);
}
