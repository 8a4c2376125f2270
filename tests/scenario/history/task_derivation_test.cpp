#include "loveless/history/task_derivation.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/lambda_test_support.hpp"
#include "scenario/history/engine_history.hpp"
#include "scenario/history/history_events.hpp"

using namespace loveless;
using namespace loveless::testing;
using history::Phase;
using history::TaskContext;
using history::TaskOutcome;
using history::TaskRecord;
using nlohmann::json;

namespace {

constexpr const char* kActivity = "arn:aws:states:us-east-1:123456789012:activity:count-words";
constexpr const char* kMergeArn = "arn:aws:lambda:us-east-1:123456789012:function:merge";
const std::string kExecution = "arn:aws:states:us-east-1:123456789012:execution:index:doc-0";

history::ExecutionRecord execution_of(std::vector<json> events, Phase phase = Phase::kChaos) {
  history::ExecutionRecord record;
  record.phase = phase;
  record.name = "doc-0";
  record.arn = kExecution;
  record.status = "SUCCEEDED";
  record.start = at(0);
  record.events = std::move(events);
  return record;
}

TaskContext demo_context() {
  TaskContext context;
  context.pool_of_resource = {{kActivity, "count-words"}, {"merge", "merge"}};
  return context;
}

}  // namespace

TEST_CASE("derive_tasks: an activity task from Scheduled to Succeeded with its worker",
          "[scenario][tasks]") {
  EventLog log;
  const auto started = log.execution_started(0);
  const auto entered = log.task_entered("CountWords", started, 0.1);
  const auto scheduled = log.activity_scheduled(kActivity, entered, 0.1);
  const auto running = log.activity_started("count-words-1", scheduled, 0.25);
  const auto done = log.activity_succeeded(running, 1.5);
  log.execution_succeeded(log.state_exited("Task", "CountWords", done, 1.5), 1.6);

  const auto tasks = history::derive_tasks(execution_of(log.events), demo_context());
  REQUIRE(tasks.size() == 1);
  const auto& task = tasks[0];
  CHECK(task.phase == Phase::kChaos);
  CHECK(task.execution_arn == kExecution);
  CHECK(task.state_name == "CountWords");
  CHECK(task.pool == "count-words");
  CHECK(task.worker == "count-words-1");
  CHECK(task.scheduled_event_id == 3);
  CHECK(task.started_event_id == 4);
  CHECK(task.scheduled == at(0.1));
  CHECK(task.started == at(0.25));
  CHECK(task.ended == at(1.5));
  CHECK(task.outcome == TaskOutcome::kSucceeded);
  CHECK(task.error.empty());
}

TEST_CASE("derive_tasks: a retry after ActivityTimedOut is a second task of the same state",
          "[scenario][tasks]") {
  EventLog log;
  const auto started = log.execution_started(0);
  const auto entered = log.task_entered("CountWords", started, 0);
  auto event = log.activity_scheduled(kActivity, entered, 0);
  event = log.activity_started("count-words-1", event, 0.1);
  event = log.activity_timed_out(event, 2.1);
  event = log.activity_scheduled(kActivity, event, 3.1);
  event = log.activity_started("count-words-2", event, 3.2);
  event = log.activity_failed(event, 3.5, "Demo.Transient", "flaky");
  event = log.activity_scheduled(kActivity, event, 5.5);  // never started: still open
  log.execution_started(9);                               // a second ExecutionStarted: ignored

  const auto tasks = history::derive_tasks(execution_of(log.events), demo_context());
  REQUIRE(tasks.size() == 3);
  CHECK(tasks[0].worker == "count-words-1");
  CHECK(tasks[0].outcome == TaskOutcome::kTimedOut);
  CHECK(tasks[0].error == "States.Timeout");
  CHECK(tasks[0].cause.empty());  // AWS records a timeout without a cause
  CHECK(tasks[0].ended == at(2.1));
  CHECK(tasks[1].worker == "count-words-2");
  CHECK(tasks[1].outcome == TaskOutcome::kFailed);
  CHECK(tasks[1].error == "Demo.Transient");
  CHECK(tasks[1].cause == "flaky");
  CHECK(tasks[2].worker.empty());
  CHECK_FALSE(tasks[2].started);
  CHECK_FALSE(tasks[2].ended);
  CHECK(tasks[2].outcome == TaskOutcome::kOpen);
  for (const auto& task : tasks) CHECK(task.state_name == "CountWords");
}

TEST_CASE("derive_tasks: parallel branches and Map iterations are linked, not interleaved",
          "[scenario][tasks]") {
  // Two Parallel branches (Left, Right) whose events interleave: each task's
  // state and end come from its own chain, not from the events just before it.
  EventLog log;
  const auto started = log.execution_started(0);
  const auto parallel = log.state_entered("Parallel", "Both", started, 0);
  const auto branches = log.add("ParallelStateStarted", parallel, 0);
  const auto left = log.task_entered("Left", branches, 0.1);
  const auto right = log.task_entered("Right", branches, 0.1);
  const auto right_scheduled = log.activity_scheduled(kActivity, right, 0.2);
  const auto left_scheduled = log.activity_scheduled(kActivity, left, 0.2);
  const auto left_started = log.activity_started("count-words-1", left_scheduled, 0.3);
  const auto right_started = log.activity_started("count-words-2", right_scheduled, 0.4);
  log.activity_failed(right_started, 0.9, "Demo.Bad");
  log.activity_succeeded(left_started, 1.0);
  // A Map with two iterations of the same state.
  const auto map_started =
      log.add("MapStateStarted", branches, 2, "mapStateStartedEventDetails", {{"length", 2}});
  const auto first = log.add("MapIterationStarted", map_started, 2);
  const auto second = log.add("MapIterationStarted", map_started, 2);
  const auto second_entered = log.task_entered("CountWords", second, 2.1);
  const auto first_entered = log.task_entered("CountWords", first, 2.1);
  const auto second_scheduled = log.activity_scheduled(kActivity, second_entered, 2.2);
  const auto first_scheduled = log.activity_scheduled(kActivity, first_entered, 2.2);
  const auto first_started = log.activity_started("count-words-3", first_scheduled, 2.3);
  const auto second_started = log.activity_started("count-words-4", second_scheduled, 2.3);
  log.activity_succeeded(second_started, 2.8);
  log.activity_timed_out(first_started, 4.3);

  const auto tasks = history::derive_tasks(execution_of(log.events), demo_context());
  REQUIRE(tasks.size() == 4);
  // In scheduling order.
  CHECK(tasks[0].state_name == "Right");
  CHECK(tasks[0].worker == "count-words-2");
  CHECK(tasks[0].outcome == TaskOutcome::kFailed);
  CHECK(tasks[0].error == "Demo.Bad");
  CHECK(tasks[1].state_name == "Left");
  CHECK(tasks[1].worker == "count-words-1");
  CHECK(tasks[1].outcome == TaskOutcome::kSucceeded);
  CHECK(tasks[2].scheduled_event_id == second_scheduled);
  CHECK(tasks[2].worker == "count-words-4");
  CHECK(tasks[2].outcome == TaskOutcome::kSucceeded);
  CHECK(tasks[2].ended == at(2.8));
  CHECK(tasks[3].scheduled_event_id == first_scheduled);
  CHECK(tasks[3].worker == "count-words-3");
  CHECK(tasks[3].outcome == TaskOutcome::kTimedOut);
  CHECK(tasks[3].ended == at(4.3));
  CHECK(tasks[2].state_name == "CountWords");
  CHECK(tasks[3].state_name == "CountWords");
}

TEST_CASE("derive_tasks: Lambda tasks by function ARN and by lambda:invoke", "[scenario][tasks]") {
  EventLog log;
  const auto started = log.execution_started(0);
  // Split: the function ARN with a qualifier, Lambda* events.
  auto event = log.task_entered("Split", started, 0);
  event = log.lambda_scheduled(std::string(kMergeArn) + ":live", event, 0);
  const auto split_started = log.lambda_started(event, 0.1);
  event = log.lambda_failed(split_started, 0.3, "Lambda.Unknown");
  event = log.lambda_scheduled(kMergeArn, event, 1.3);
  event = log.add("LambdaFunctionScheduleFailed", event, 1.4,
                  "lambdaFunctionScheduleFailedEventDetails",
                  {{"error", "Lambda.ServiceException"}, {"cause", "throttled"}});
  // Merge: lambda:invoke with FunctionName in the parameters, Task* events.
  event = log.task_entered("Merge", event, 2);
  event = log.add("TaskScheduled", event, 2, "taskScheduledEventDetails",
                  {{"resourceType", "lambda"},
                   {"resource", "invoke"},
                   {"region", "us-east-1"},
                   {"parameters", R"({"FunctionName":"merge:live","Payload":{}})"}});
  const auto merge_started = log.add("TaskStarted", event, 2.1, "taskStartedEventDetails",
                                     {{"resourceType", "lambda"}, {"resource", "invoke"}});
  event = log.add("TaskSucceeded", merge_started, 2.5, "taskSucceededEventDetails",
                  {{"resourceType", "lambda"}, {"resource", "invoke"}, {"output", "{}"}});
  // Another service integration is not a task.
  event = log.task_entered("Notify", event, 3);
  event = log.add("TaskScheduled", event, 3, "taskScheduledEventDetails",
                  {{"resourceType", "sqs"}, {"resource", "sendMessage"}, {"parameters", "{}"}});
  event = log.add("TaskStarted", event, 3.1, "taskStartedEventDetails",
                  {{"resourceType", "sqs"}, {"resource", "sendMessage"}});
  // A lambda:invoke whose parameters are not JSON: a task without a pool.
  event = log.task_entered("Odd", event, 4);
  log.add("TaskScheduled", event, 4, "taskScheduledEventDetails",
          {{"resourceType", "lambda"}, {"resource", "invoke"}, {"parameters", "{broken"}});

  auto context = demo_context();
  context.task_workers[kExecution] = {{split_started, "merge-1"}, {merge_started, "merge-2"}};
  const auto tasks = history::derive_tasks(execution_of(log.events), context);
  REQUIRE(tasks.size() == 4);
  CHECK(tasks[0].state_name == "Split");
  CHECK(tasks[0].pool == "merge");  // by the function name in the ARN
  CHECK(tasks[0].worker == "merge-1");
  CHECK(tasks[0].outcome == TaskOutcome::kFailed);
  CHECK(tasks[0].error == "Lambda.Unknown");
  CHECK(tasks[1].state_name == "Split");
  CHECK(tasks[1].outcome == TaskOutcome::kFailed);
  CHECK(tasks[1].error == "Lambda.ServiceException");
  CHECK(tasks[1].cause == "throttled");
  CHECK_FALSE(tasks[1].started);
  CHECK(tasks[1].ended == at(1.4));
  CHECK(tasks[2].state_name == "Merge");
  CHECK(tasks[2].pool == "merge");
  CHECK(tasks[2].worker == "merge-2");
  CHECK(tasks[2].started == at(2.1));
  CHECK(tasks[2].outcome == TaskOutcome::kSucceeded);
  CHECK(tasks[3].state_name == "Odd");
  CHECK(tasks[3].pool.empty());
  CHECK(tasks[3].outcome == TaskOutcome::kOpen);

  // Without the runner's knowledge: no pools, no Lambda workers.
  const auto bare = history::derive_tasks(execution_of(log.events), TaskContext{});
  REQUIRE(bare.size() == 4);
  CHECK(bare[2].pool.empty());
  CHECK(bare[2].worker.empty());
}

TEST_CASE("derive_tasks: a .waitForTaskToken task ends after its TaskSubmitted",
          "[scenario][tasks]") {
  EventLog log;
  const auto started = log.execution_started(0);
  auto event = log.task_entered("Merge", started, 0);
  const json resource = {{"resourceType", "lambda"}, {"resource", "invoke.waitForTaskToken"}};
  auto scheduled = resource;
  scheduled["parameters"] = R"({"FunctionName":"merge","Payload":{}})";
  event = log.add("TaskScheduled", event, 0, "taskScheduledEventDetails", scheduled);
  const auto merge_started =
      log.add("TaskStarted", event, 0.1, "taskStartedEventDetails", resource);
  auto submitted = resource;
  submitted["output"] = "{}";
  event = log.add("TaskSubmitted", merge_started, 0.2, "taskSubmittedEventDetails", submitted);
  auto timed_out = resource;
  timed_out["error"] = "States.Timeout";
  log.add("TaskTimedOut", event, 1.2, "taskTimedOutEventDetails", timed_out);

  auto context = demo_context();
  context.task_workers[kExecution] = {{merge_started, "merge-1"}};
  const auto tasks = history::derive_tasks(execution_of(log.events), context);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].pool == "merge");
  CHECK(tasks[0].worker == "merge-1");
  CHECK(tasks[0].outcome == TaskOutcome::kTimedOut);
  CHECK(tasks[0].error == "States.Timeout");
  CHECK(tasks[0].ended == at(1.2));
}

TEST_CASE("derive_tasks skips malformed and unknown events without throwing", "[scenario][tasks]") {
  EventLog log;
  const auto started = log.execution_started(0);
  const auto entered = log.task_entered("CountWords", started, 0);
  const auto scheduled = log.activity_scheduled(kActivity, entered, 0.1);
  auto events = log.events;
  events.push_back(json::array({1, 2}));                                // not an object
  events.push_back({{"type", "ActivityStarted"}, {"timestamp", kT0}});  // no id
  events.push_back({{"id", "5"}, {"type", "ActivityStarted"}, {"timestamp", kT0}});  // string id
  events.push_back({{"id", 6}, {"type", "ActivityStarted"}, {"previousEventId", scheduled}});
  events.push_back({{"id", 7}, {"type", 42}, {"timestamp", kT0}});  // bad type
  events.push_back({{"id", 8},
                    {"type", "ActivityStarted"},
                    {"previousEventId", 99},  // links to nothing
                    {"timestamp", kT0 + 1},
                    {"activityStartedEventDetails", {{"workerName", "ghost"}}}});
  events.push_back({{"id", 9},
                    {"type", "ActivityStarted"},
                    {"previousEventId", scheduled},
                    {"timestamp", kT0 + 1},
                    {"activityStartedEventDetails", "not an object"}});
  events.push_back({{"id", 9},  // a duplicate id
                    {"type", "ActivitySucceeded"},
                    {"previousEventId", 9},
                    {"timestamp", kT0 + 2}});
  events.push_back({{"id", 10},
                    {"type", "SomethingNew"},
                    {"previousEventId", 9},
                    {"timestamp", kT0 + 2},
                    {"somethingNewEventDetails", {}}});
  events.push_back({{"id", 11},
                    {"type", "ActivityFailed"},
                    {"previousEventId", 9},
                    {"timestamp", kT0 + 3},
                    {"activityFailedEventDetails", {{"error", 17}, {"cause", nullptr}}}});
  events.push_back({{"id", 12},  // after the end: ignored
                    {"type", "ActivitySucceeded"},
                    {"previousEventId", 9},
                    {"timestamp", kT0 + 4}});
  events.push_back({{"id", 13},  // a Scheduled whose chain leads nowhere
                    {"type", "ActivityScheduled"},
                    {"previousEventId", 77},
                    {"timestamp", kT0 + 5},
                    {"activityScheduledEventDetails", {{"resource", 5}}}});

  std::vector<TaskRecord> tasks;
  REQUIRE_NOTHROW(tasks = history::derive_tasks(execution_of(events), demo_context()));
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[0].state_name == "CountWords");
  CHECK(tasks[0].started_event_id == 9);
  CHECK(tasks[0].worker.empty());  // its details were not an object
  CHECK(tasks[0].outcome == TaskOutcome::kFailed);
  CHECK(tasks[0].ended == at(3));
  CHECK(tasks[0].error.empty());
  CHECK(tasks[1].state_name.empty());
  CHECK(tasks[1].pool.empty());
  CHECK(tasks[1].outcome == TaskOutcome::kOpen);

  CHECK(history::derive_tasks(execution_of({}), demo_context()).empty());
}

TEST_CASE(
    "derive_tasks on a real engine execution: Map iterations, a retried activity and "
    "lambda:invoke",
    "[scenario][tasks][engine]") {
  using engine::testing::InThreadFunction;
  InThreadFunction merge("merge", engine::testing::echo);  // destroyed after the service
  engine::StepFunctionsService service(fast_service_options());
  service.register_function(merge.config(service));
  const auto activity =
      service.invoke("CreateActivity", {{"name", "count-words"}})["activityArn"].get<std::string>();
  const json definition = {
      {"StartAt", "CountChunks"},
      {"States",
       {{"CountChunks",
         {{"Type", "Map"},
          {"ItemsPath", "$.chunks"},
          {"MaxConcurrency", 2},
          {"ItemProcessor",
           {{"StartAt", "CountWords"},
            {"States",
             {{"CountWords",
               {{"Type", "Task"},
                {"Resource", activity},
                {"Retry", json::array({{{"ErrorEquals", {"Demo.Transient"}},
                                        {"IntervalSeconds", 1},
                                        {"JitterStrategy", "FULL"},
                                        {"MaxAttempts", 2}}})},
                {"End", true}}}}}}},
          {"ResultPath", "$.counts"},
          {"Next", "Merge"}}},
        {"Merge",
         {{"Type", "Task"},
          {"Resource", "arn:aws:states:::lambda:invoke"},
          {"Parameters", {{"FunctionName", "merge"}, {"Payload.$", "$.counts"}}},
          {"End", true}}}}}};
  const auto state_machine =
      service
          .invoke("CreateStateMachine",
                  {{"name", "index"},
                   {"definition", definition.dump()},
                   {"roleArn", "arn:aws:iam::123456789012:role/test"}})["stateMachineArn"]
          .get<std::string>();
  const auto arn =
      service
          .invoke("StartExecution", {{"stateMachineArn", state_machine},
                                     {"name", "doc-3"},
                                     {"input", R"({"chunks": ["a", "b", "c"]})"}})["executionArn"]
          .get<std::string>();

  // The count-words workers, played in turn: the first task handed out fails
  // (and is retried), the others succeed.
  std::vector<std::string> handed_to;
  REQUIRE(eventually([&] {
    const auto worker = "count-words-" + std::to_string(handed_to.size() % 2 + 1);
    const auto task = poll_task(service, activity, worker);
    if (task) {
      if (handed_to.empty()) {
        service.invoke(
            "SendTaskFailure",
            {{"taskToken", (*task)["taskToken"]}, {"error", "Demo.Transient"}, {"cause", "flaky"}});
      } else {
        service.invoke("SendTaskSuccess",
                       {{"taskToken", (*task)["taskToken"]}, {"output", R"({"n": 1})"}});
      }
      handed_to.push_back(worker);
    }
    return handed_to.size() == 4;
  }));
  REQUIRE(eventually([&] {
    return service.invoke("DescribeExecution", {{"executionArn", arn}})["status"] != "RUNNING";
  }));

  const auto record = record_execution(service, arn, Phase::kControl, 3);
  REQUIRE(record.status == "SUCCEEDED");
  REQUIRE(record.events.size() > 10);  // several pages of 10
  // The local engine reports Lambda workers live; here the function saw them.
  TaskContext context;
  context.pool_of_resource = {{activity, "count-words"}, {"merge", "merge"}};
  const auto invocations = merge.seen();
  REQUIRE(invocations.size() == 1);
  for (const auto& event : record.events) {
    if (event["type"] == "TaskStarted") {
      context.task_workers[arn][event["id"].get<std::int64_t>()] = invocations[0].environment;
    }
  }

  const auto tasks = history::derive_tasks(record, context);
  REQUIRE(tasks.size() == 5);
  const auto type_of = [&record](std::int64_t id) {
    return record.events.at(static_cast<std::size_t>(id - 1))["type"].get<std::string>();
  };
  std::vector<const TaskRecord*> count_words;
  for (const auto& task : tasks) {
    CHECK(task.phase == Phase::kControl);
    CHECK(task.execution_arn == arn);
    REQUIRE(task.started);
    REQUIRE(task.ended);
    CHECK(task.scheduled <= *task.started);
    CHECK(*task.started <= *task.ended);
    CHECK(task.started_event_id > task.scheduled_event_id);
    if (task.state_name == "CountWords") count_words.push_back(&task);
  }
  REQUIRE(count_words.size() == 4);
  // Workers in hand-out order.
  std::sort(count_words.begin(), count_words.end(),
            [](const auto* a, const auto* b) { return a->started_event_id < b->started_event_id; });
  std::vector<std::string> workers;
  for (const auto* task : count_words) {
    workers.push_back(task->worker);
    CHECK(task->pool == "count-words");
    CHECK(type_of(task->scheduled_event_id) == "ActivityScheduled");
    CHECK(type_of(task->started_event_id) == "ActivityStarted");
  }
  CHECK(workers == handed_to);
  // The first one failed and its retry (scheduled from the ActivityFailed) succeeded.
  const auto& failed = *count_words[0];
  CHECK(failed.outcome == TaskOutcome::kFailed);
  CHECK(failed.error == "Demo.Transient");
  CHECK(failed.cause == "flaky");
  const auto retry = std::find_if(tasks.begin(), tasks.end(), [&](const TaskRecord& task) {
    const auto& scheduled = record.events.at(static_cast<std::size_t>(task.scheduled_event_id - 1));
    const auto previous = scheduled["previousEventId"].get<std::int64_t>();
    return type_of(previous) == "ActivityFailed" &&
           record.events.at(static_cast<std::size_t>(previous - 1))["previousEventId"] ==
               failed.started_event_id;
  });
  REQUIRE(retry != tasks.end());
  CHECK(retry->state_name == "CountWords");
  CHECK(retry->outcome == TaskOutcome::kSucceeded);
  CHECK(retry->scheduled >= *failed.ended);
  CHECK(std::count_if(tasks.begin(), tasks.end(), [](const TaskRecord& task) {
          return task.outcome == TaskOutcome::kSucceeded;
        }) == 4);

  const auto& merge_task = tasks.back();
  CHECK(merge_task.state_name == "Merge");
  CHECK(merge_task.pool == "merge");
  CHECK(merge_task.worker == invocations[0].environment);
  CHECK(merge_task.outcome == TaskOutcome::kSucceeded);
  CHECK(type_of(merge_task.scheduled_event_id) == "TaskScheduled");
}
