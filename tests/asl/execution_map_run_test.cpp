// The distributed Map: a Map Run of child workflow executions
// (core/asl/src/execution_map_run.cpp). What AWS recorded of successful Map
// Runs is pinned by the fidelity corpus (tests/fidelity/cases/map/distributed_*);
// these tests pin what no recording shows: failing children against the
// tolerated threshold, batching, activity tasks inside a child.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/asl/execution.hpp"

#include "virtual_host.hpp"

using loveless::asl::ExecutionStatus;
using loveless::asl::testing::Harness;
using nlohmann::json;

namespace {

/// A distributed Map over `$.items` whose children fail with `Item.Bad`
/// for an item `"bad"` and pass the others through; `extra` adds fields.
std::string map_run_definition(const std::string& extra) {
  return R"J({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",)J" + extra +
         R"J("ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
           "StartAt":"Check","States":{
             "Check":{"Type":"Choice","Choices":[{"Variable":"$","StringEquals":"bad","Next":"Bad"}],
                      "Default":"Good"},
             "Bad":{"Type":"Fail","Error":"Item.Bad","Cause":"a bad item"},
             "Good":{"Type":"Pass","End":true}}},
         "End":true}}})J";
}

std::vector<std::string> map_run_types(const Harness& h) {
  std::vector<std::string> types;
  for (const auto& type : h.types()) {
    if (type.starts_with("MapRun") || type.starts_with("MapState") ||
        type.starts_with("Execution")) {
      types.push_back(type);
    }
  }
  return types;
}

}  // namespace

TEST_CASE("a distributed Map records its Map Run, not its children", "[execution][map-run]") {
  Harness h(map_run_definition(R"J("Label":"Orders",)J"), json{{"items", {"a", "b", "c"}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{"a", "b", "c"});
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "MapStateEntered",
                                              "MapStateStarted", "MapRunStarted", "MapRunSucceeded",
                                              "MapStateSucceeded", "MapStateExited",
                                              "ExecutionSucceeded"});
  const auto* started = h.find("MapRunStarted");
  const std::string arn = started->details.at("mapRunArn").get<std::string>();
  CHECK(arn.find(":mapRun:") != std::string::npos);
  CHECK(arn.find("/Orders:") != std::string::npos);
  CHECK(h.find("MapStateSucceeded")->previous_event_id == h.find("MapRunSucceeded")->id);
  CHECK(h.find("MapStateExited")->previous_event_id == started->id);
  REQUIRE(h.execution.map_runs().size() == 1);
  const auto& run = h.execution.map_runs()[0];
  CHECK(run.arn == arn);
  CHECK(run.status == "SUCCEEDED");
  CHECK(run.succeeded == 3);
  CHECK(run.total == 3);
  CHECK(run.stop_date.has_value());
}

TEST_CASE("a failed child fails the Map Run with States.ExceedToleratedFailureThreshold",
          "[execution][map-run]") {
  Harness h(map_run_definition(R"J("MaxConcurrency":1,)J"), json{{"items", {"a", "bad", "c"}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.ExceedToleratedFailureThreshold");
  CHECK(h.execution.cause() == "The specified tolerated failure threshold was exceeded");
  CHECK(map_run_types(h) == std::vector<std::string>{"ExecutionStarted", "MapStateEntered",
                                                     "MapStateStarted", "MapRunStarted",
                                                     "MapRunFailed", "MapStateFailed",
                                                     "ExecutionFailed"});
  const auto* failed = h.find("MapRunFailed");
  CHECK(failed->details.at("error") == "States.ExceedToleratedFailureThreshold");
  CHECK(failed->previous_event_id == h.find("MapRunStarted")->id);
  CHECK(h.find("MapStateFailed")->previous_event_id == failed->id);
  // One child succeeded, one failed, the third never started.
  const auto& run = h.execution.map_runs().at(0);
  CHECK(run.status == "FAILED");
  CHECK(run.succeeded == 1);
  CHECK(run.failed == 1);
  CHECK(run.aborted == 1);
  CHECK(run.pending == 0);
}

TEST_CASE("failures within ToleratedFailureCount or ToleratedFailurePercentage are tolerated",
          "[execution][map-run]") {
  const json input{{"items", {"a", "bad", "c", "bad"}}};
  SECTION("a count of 2 tolerates two failed children") {
    Harness h(map_run_definition(R"J("ToleratedFailureCount":2,)J"), input);
    h.run_to_end();
    REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
    const json& output = *h.execution.output();
    CHECK(output[0] == "a");
    CHECK(output[1] == json{{"Error", "Item.Bad"}, {"Cause", "a bad item"}});
    CHECK(h.count("MapRunSucceeded") == 1);
  }
  SECTION("a count of 1 does not") {
    Harness h(map_run_definition(R"J("ToleratedFailureCount":1,)J"), input);
    h.run_to_end();
    CHECK(h.execution.error() == "States.ExceedToleratedFailureThreshold");
  }
  SECTION("50 percent tolerates two of four, 49 percent does not") {
    Harness tolerated(map_run_definition(R"J("ToleratedFailurePercentage":50,)J"), input);
    tolerated.run_to_end();
    CHECK(tolerated.execution.status() == ExecutionStatus::kSucceeded);
    Harness exceeded(map_run_definition(R"J("ToleratedFailurePercentage":49,)J"), input);
    exceeded.run_to_end();
    CHECK(exceeded.execution.error() == "States.ExceedToleratedFailureThreshold");
  }
  SECTION("the count and the percentage both bound it") {
    Harness h(map_run_definition(R"J("ToleratedFailureCount":5,"ToleratedFailurePercentage":25,)J"),
              input);
    h.run_to_end();
    CHECK(h.execution.error() == "States.ExceedToleratedFailureThreshold");
  }
}

TEST_CASE("a Catch on States.ExceedToleratedFailureThreshold catches a failed Map Run",
          "[execution][map-run]") {
  std::string definition = map_run_definition("");
  const std::string end = R"J("End":true}}})J";
  definition.replace(definition.rfind(end), end.size(),
                     R"J("Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],
                     "ResultPath":"$.error","Next":"Handled"}],"End":true},
                     "Handled":{"Type":"Pass","End":true}}})J");
  Harness h(definition, json{{"items", {"bad"}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(h.execution.output()->at("error") ==
        json{{"Error", "States.ExceedToleratedFailureThreshold"},
             {"Cause", "The specified tolerated failure threshold was exceeded"}});
}

TEST_CASE("ItemBatcher hands each child a batch of items with the BatchInput",
          "[execution][map-run]") {
  Harness h(
      R"J({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
        "ItemBatcher":{"MaxItemsPerBatchPath":"$.per","BatchInput":{"run.$":"$.run"}},
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
          "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J",
      json{{"items", {1, 2, 3, 4, 5}}, {"per", 2}, {"run", "r1"}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  const json batch_input{{"run", "r1"}};
  CHECK(*h.execution.output() == json{{{"BatchInput", batch_input}, {"Items", {1, 2}}},
                                      {{"BatchInput", batch_input}, {"Items", {3, 4}}},
                                      {{"BatchInput", batch_input}, {"Items", {5}}}});
  CHECK(h.find("MapStateStarted")->details.at("length") == 5);
}

TEST_CASE("a distributed Map over no items succeeds with []", "[execution][map-run]") {
  Harness h(map_run_definition(""), json{{"items", json::array()}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json::array());
  CHECK(h.count("MapRunSucceeded") == 1);
}

TEST_CASE("a child execution's activity task reaches a worker like any other task",
          "[execution][map-run]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"T","States":{"T":{"Type":"Task",
          "Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}},
      "End":true}}})J",
            json{1, 2});
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 2);
  CHECK(h.host.scheduled[0].input == 1);
  const auto tasks = h.host.scheduled;
  for (const auto& task : tasks) {
    h.execution.task_started(task.task_id, "worker-1");
    h.execution.task_succeeded(task.task_id, json{{"done", task.input}});
  }
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{{"done", 1}}, {{"done", 2}}});
  // The tasks ran in the child executions: no Activity* event in the parent.
  CHECK(h.count("ActivityScheduled") == 0);
}

TEST_CASE("StopExecution aborts a running Map Run", "[execution][map-run]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"T","States":{"T":{"Type":"Task",
          "Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}},
      "End":true}}})J",
            json{1, 2, 3});
  h.execution.start();
  REQUIRE(h.execution.map_runs().at(0).running == 1);
  CHECK(h.execution.map_runs().at(0).pending == 2);
  h.execution.stop("", "");
  REQUIRE(h.execution.status() == ExecutionStatus::kAborted);
  const auto& run = h.execution.map_runs().at(0);
  CHECK(run.status == "ABORTED");
  CHECK(run.aborted == 3);
  CHECK(run.running == 0);
}

TEST_CASE("a JSONata distributed Map evaluates its tolerance and batcher expressions",
          "[execution][map-run]") {
  Harness h(R"J({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
      "Items":"{% $states.input.pages %}",
      "ToleratedFailurePercentage":"{% $states.input.tolerated %}",
      "ItemBatcher":{"MaxItemsPerBatch":"{% 1 + 1 %}","BatchInput":{"book":"{% $states.input.book %}"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J",
            json{{"pages", {1, 2, 3}}, {"tolerated", 10}, {"book", "b"}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{{"BatchInput", {{"book", "b"}}}, {"Items", {1, 2}}},
                                      {{"BatchInput", {{"book", "b"}}}, {"Items", {3}}}});
  CHECK(h.execution.map_runs().at(0).tolerated_failure_percentage == 10);
  CHECK(h.execution.map_runs().at(0).total == 2);
  CHECK(h.execution.map_runs().at(0).items == 3);
}

TEST_CASE("each child of a Map Run is an execution with a history of its own",
          "[execution][map-run]") {
  Harness h(map_run_definition(R"J("MaxConcurrency":1,"Label":"Pages",)J"),
            json{{"items", {"a", "bad", "c"}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  // The third child never started: the Map Run failed first.
  const auto& children = h.execution.child_executions();
  REQUIRE(children.size() == 2);
  const auto& good = children[0];
  CHECK(good.status == ExecutionStatus::kSucceeded);
  CHECK(good.arn == "arn:aws:states:us-east-1:123456789012:execution:Machine/Pages:" + good.name);
  CHECK(good.state_machine_arn ==
        "arn:aws:states:us-east-1:123456789012:stateMachine:Machine/Pages");
  CHECK(good.map_run_arn == h.execution.map_runs().at(0).arn);
  CHECK(good.input == "a");
  CHECK(good.output == json("a"));
  std::vector<std::string> types;
  for (const auto& event : good.history) types.push_back(event.type);
  CHECK(types == std::vector<std::string>{"ExecutionStarted", "ChoiceStateEntered",
                                          "ChoiceStateExited", "PassStateEntered",
                                          "PassStateExited", "ExecutionSucceeded"});
  CHECK(good.history[1].previous_event_id == 1);
  const auto& bad = children[1];
  CHECK(bad.status == ExecutionStatus::kFailed);
  CHECK(bad.error == "Item.Bad");
  CHECK(bad.cause == "a bad item");
  CHECK(bad.history.back().type == "ExecutionFailed");
}

TEST_CASE("child executions past the local engine's event bound fail the execution clearly",
          "[execution][map-run][limits]") {
  // 10 Pass states: 21 events a child; 13,000 children pass 250,000 events.
  std::string states;
  for (int i = 0; i < 10; ++i) {
    states +=
        "\"P" + std::to_string(i) + R"(":{"Type":"Pass",)" +
        (i == 9 ? std::string(R"("End":true})") : "\"Next\":\"P" + std::to_string(i + 1) + "\"}") +
        (i == 9 ? "" : ",");
  }
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map","ResultPath":null,
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
        "StartAt":"P0","States":{)J" +
                states + R"J(}},"End":true}}})J",
            json(std::vector<int>(13'000, 0)));
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.Runtime");
  CHECK(h.execution.cause().starts_with(
      "The execution's distributed Map child executions recorded more than 250000 events"));
  CHECK(h.execution.history().back().type == "ExecutionFailed");
  CHECK(h.execution.map_runs().at(0).status == "ABORTED");
}

TEST_CASE("$$ in a child execution is the child's Execution and StateMachine",
          "[execution][map-run]") {
  Harness h(
      R"J({"StartAt":"M","States":{"M":{"Type":"Map","Label":"L","ItemsPath":"$.items","ResultPath":"$.children",
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{
          "id.$":"$$.Execution.Id","input.$":"$$.Execution.Input","machine.$":"$$.StateMachine.Name"},
          "End":true}}},
      "Next":"After"},
    "After":{"Type":"Pass","Parameters":{"children.$":"$.children","id.$":"$$.Execution.Id"},"End":true}}})J",
      json{{"items", {7}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  const json& output = *h.execution.output();
  const auto& child = h.execution.child_executions().at(0);
  CHECK(output["children"][0]["id"] == child.arn);
  CHECK(output["children"][0]["input"] == 7);
  CHECK(output["children"][0]["machine"] == "Machine/L");
  CHECK(output["id"] == h.execution.info().execution_arn);
}

namespace {

/// A distributed Map of activity tasks over `items`, with `extra` fields on
/// the Map: children wait for a worker, so a test decides when each ends.
std::string activity_map_run(const std::string& extra) {
  return R"J({"StartAt":"M","States":{"M":{"Type":"Map",)J" + extra +
         R"J("ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"T","States":{"T":{"Type":"Task",
          "Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}},
      "End":true}}})J";
}

std::string map_run_arn_of(const Harness& h) { return h.execution.map_runs().at(0).arn; }

}  // namespace

TEST_CASE("UpdateMapRun: a higher MaxConcurrency starts waiting children at once",
          "[execution][map-run]") {
  Harness h(activity_map_run(R"J("MaxConcurrency":1,)J"), json{1, 2, 3, 4});
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 1);
  loveless::asl::MapRunUpdate update;
  update.max_concurrency = 3;
  REQUIRE(h.execution.update_map_run(map_run_arn_of(h), update));
  CHECK(h.host.scheduled.size() == 3);
  CHECK(h.execution.map_runs().at(0).max_concurrency == 3);
  CHECK(h.execution.map_runs().at(0).running == 3);
  CHECK(h.execution.map_runs().at(0).pending == 1);

  // Lowered to 1: the three running finish, and only then does the fourth start.
  update.max_concurrency = 1;
  REQUIRE(h.execution.update_map_run(map_run_arn_of(h), update));
  const auto first_three = h.host.scheduled;
  h.execution.task_started(first_three[0].task_id, "w");
  h.execution.task_succeeded(first_three[0].task_id, json("one"));
  CHECK(h.host.scheduled.size() == 3);
  h.execution.task_started(first_three[1].task_id, "w");
  h.execution.task_succeeded(first_three[1].task_id, json("two"));
  CHECK(h.host.scheduled.size() == 3);
  h.execution.task_started(first_three[2].task_id, "w");
  h.execution.task_succeeded(first_three[2].task_id, json("three"));
  REQUIRE(h.host.scheduled.size() == 4);
  h.execution.task_started(h.host.scheduled[3].task_id, "w");
  h.execution.task_succeeded(h.host.scheduled[3].task_id, json("four"));
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{"one", "two", "three", "four"});
  // No event records an update.
  CHECK(h.count("MapRunStarted") == 1);
  CHECK(h.count("MapRunSucceeded") == 1);
}

TEST_CASE("UpdateMapRun: a tolerance below the failures so far fails the Map Run at once",
          "[execution][map-run]") {
  Harness h(activity_map_run(R"J("ToleratedFailureCount":5,)J"), json{1, 2, 3});
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 3);
  const auto tasks = h.host.scheduled;
  h.execution.task_started(tasks[0].task_id, "w");
  h.execution.task_failed(tasks[0].task_id, "Item.Bad", "bad");
  REQUIRE(h.execution.status() == ExecutionStatus::kRunning);

  loveless::asl::MapRunUpdate update;
  update.tolerated_failure_count = 1;
  REQUIRE(h.execution.update_map_run(map_run_arn_of(h), update));
  REQUIRE(h.execution.status() == ExecutionStatus::kRunning);  // 1 failure is tolerated
  CHECK(h.execution.map_runs().at(0).tolerated_failure_count == 1);

  update.tolerated_failure_count = 0;
  REQUIRE(h.execution.update_map_run(map_run_arn_of(h), update));
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.ExceedToleratedFailureThreshold");
  const auto& run = h.execution.map_runs().at(0);
  CHECK(run.status == "FAILED");
  CHECK(run.failed == 1);
  CHECK(run.aborted == 2);
  CHECK(h.find("MapRunFailed")->previous_event_id == h.find("MapRunStarted")->id);
  CHECK(h.find("MapStateFailed")->previous_event_id == h.find("MapRunFailed")->id);
  // The aborted children's tasks are cancelled.
  CHECK(h.host.cancelled_tasks.size() == 2);

  // An ended Map Run is no longer updated.
  CHECK_FALSE(h.execution.update_map_run(map_run_arn_of(h), update));
}

TEST_CASE("UpdateMapRun: a higher percentage lets a Map Run tolerate the next failure",
          "[execution][map-run]") {
  Harness h(activity_map_run(""), json{1, 2, 3, 4});
  h.execution.start();
  loveless::asl::MapRunUpdate update;
  update.tolerated_failure_percentage = 50;
  REQUIRE(h.execution.update_map_run(map_run_arn_of(h), update));
  const auto tasks = h.host.scheduled;
  REQUIRE(tasks.size() == 4);
  h.execution.task_started(tasks[0].task_id, "w");
  h.execution.task_failed(tasks[0].task_id, "Item.Bad", "bad");
  CHECK(h.execution.status() == ExecutionStatus::kRunning);  // without the update: failed
  for (std::size_t i = 1; i < tasks.size(); ++i) {
    h.execution.task_started(tasks[i].task_id, "w");
    h.execution.task_succeeded(tasks[i].task_id, json(i));
  }
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(h.execution.map_runs().at(0).tolerated_failure_percentage == 50);
  CHECK_FALSE(
      h.execution.update_map_run("arn:aws:states:us-east-1:123456789012:mapRun:x/y:z", update));
}
