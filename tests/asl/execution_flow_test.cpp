#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/asl/execution.hpp"

#include "virtual_host.hpp"

using loveless::asl::ExecutionStatus;
using loveless::asl::TaskReport;
using loveless::asl::testing::Harness;
using nlohmann::json;

namespace {

const std::string kFlowActivityArn = "arn:aws:states:us-east-1:123456789012:activity:work";

std::string activity_state(const std::string& extra = "") {
  return R"J({"Type":"Task","Resource":")J" + kFlowActivityArn + "\"" + extra + R"J(,"End":true})J";
}

}  // namespace

TEST_CASE("Parallel runs every branch and outputs their outputs in order",
          "[execution][parallel]") {
  Harness h(
      R"J({"StartAt":"P","States":{"P":{"Type":"Parallel","ResultPath":"$.out","End":true,"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Pass","InputPath":"$.x","End":true}}}]}}})J",
      json{{"x", 1}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"x", 1}, {"out", {"a", 1}}});
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "ParallelStateEntered",
                                              "ParallelStateStarted", "PassStateEntered",
                                              "PassStateExited", "PassStateEntered",
                                              "PassStateExited", "ParallelStateSucceeded",
                                              "ParallelStateExited", "ExecutionSucceeded"});
  const auto& e = h.execution.history();
  CHECK(e[2].previous_event_id == 2);  // Started <- Entered
  CHECK(e[3].previous_event_id == 3);  // branch chains start at ParallelStateStarted
  CHECK(e[5].previous_event_id == 3);
  CHECK(e[6].previous_event_id == 6);
  // Recorded on AWS: ParallelStateSucceeded and the ParallelStateExited after
  // it both link to the last branch event.
  CHECK(e[7].previous_event_id == 7);
  CHECK(e[7].details_key.empty());
  CHECK(e[8].previous_event_id == 7);
  CHECK(e[9].previous_event_id == 9);
}

TEST_CASE("a failed branch fails the Parallel with its error and aborts the others",
          "[execution][parallel]") {
  Harness h(R"J({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"T","States":{"T":)J" +
            activity_state() + R"J(}},
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Branch.Error","Cause":"b"}}}]}}})J");
  h.execution.start();
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "Branch.Error");
  CHECK(h.execution.cause() == "b");
  CHECK(h.host.cancelled_tasks.size() == 1);
  CHECK(h.types() ==
        std::vector<std::string>{"ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
                                 "TaskStateEntered", "ActivityScheduled", "FailStateEntered",
                                 "TaskStateAborted", "ParallelStateFailed", "ExecutionFailed"});
  // Recorded on AWS: the aborted state and the ParallelStateFailed (no
  // details) link to the event that failed inside the branch.
  const std::int64_t failing = h.find("FailStateEntered")->id;
  CHECK(h.find("TaskStateAborted")->previous_event_id == failing);
  CHECK(h.find("ParallelStateFailed")->previous_event_id == failing);
  CHECK(h.find("ParallelStateFailed")->details_key.empty());
  CHECK(h.find("ExecutionFailed")->previous_event_id == h.find("ParallelStateFailed")->id);
}

TEST_CASE("Retry on a Parallel reruns every branch", "[execution][parallel]") {
  Harness h(R"J({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
      "Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"H"}],
      "Branches":[
      {"StartAt":"T","States":{"T":)J" +
            activity_state() + R"J(}},
      {"StartAt":"U","States":{"U":)J" +
            activity_state() + R"J(}}]},
      "H":{"Type":"Pass","End":true}}})J");
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 2);
  h.execution.task_failed(h.host.scheduled[0].task_id, "E", "first");
  CHECK(h.execution.task_succeeded(h.host.scheduled[1].task_id, json{}) == TaskReport::kStale);
  h.host.fire_next_timer();
  REQUIRE(h.host.scheduled.size() == 4);
  CHECK(h.count("ParallelStateStarted") == 2);
  h.execution.task_failed(h.host.scheduled[3].task_id, "E", "second");
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(h.execution.output()->at("error") == json{{"Error", "E"}, {"Cause", "second"}});
}

TEST_CASE("Map runs the processor once per item with ItemSelector and context",
          "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map","InputPath":"$.in","ItemsPath":"$.items",
      "ItemSelector":{"value.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index","k.$":"$.k"},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
      "End":true}}})J",
            json{{"in", {{"items", {"a", "b"}}, {"k", 7}}}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() ==
        json{{{"value", "a"}, {"index", 0}, {"k", 7}}, {{"value", "b"}, {"index", 1}, {"k", 7}}});
  const auto* started = h.find("MapStateStarted");
  REQUIRE(started != nullptr);
  CHECK(started->details_key == "mapStateStartedEventDetails");
  CHECK(started->details == json{{"length", 2}});
  const auto* iteration = h.find("MapIterationStarted", 1);
  REQUIRE(iteration != nullptr);
  CHECK(iteration->details_key == "mapIterationStartedEventDetails");
  CHECK(iteration->details == json{{"name", "M"}, {"index", 1}});
  CHECK(iteration->previous_event_id == started->id);
  CHECK(h.count("MapIterationSucceeded") == 2);
  CHECK(h.find("MapIterationSucceeded")->details_key == "mapIterationSucceededEventDetails");
  CHECK(h.find("MapStateSucceeded")->details_key.empty());
  CHECK(h.types().back() == "ExecutionSucceeded");
  CHECK(h.types()[h.types().size() - 2] == "MapStateExited");
}

TEST_CASE("Map accepts the older Iterator and Parameters names, ItemsPath defaults to $",
          "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map",
      "Parameters":{"v.$":"$$.Map.Item.Value"},
      "Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
      "End":true}}})J",
            json{1, 2, 3});
  h.run_to_end();
  CHECK(*h.execution.output() == json{{{"v", 1}}, {{"v", 2}}, {{"v", 3}}});
}

TEST_CASE("Map over an empty array outputs []", "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J",
            json::array());
  h.run_to_end();
  CHECK(*h.execution.output() == json::array());
  CHECK(h.count("MapStateSucceeded") == 1);
}

TEST_CASE("a negative MaxConcurrencyPath stalls the execution before MapStateEntered, as on AWS",
          "[execution][map]") {
  const std::string definition = R"J({"StartAt":"First","States":{
      "First":{"Type":"Pass","Next":"M"},
      "M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrencyPath":"$.limit",
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J";
  for (const json& limit : {json(-1), json("-3"), json(-2.0)}) {
    INFO("MaxConcurrencyPath selects " << limit.dump());
    Harness h(definition, json{{"items", {1, 2}}, {"limit", limit}});
    h.run_to_end();
    REQUIRE(h.execution.status() == ExecutionStatus::kRunning);
    CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                                "PassStateExited"});
    h.execution.stop("", "");
    CHECK(h.execution.status() == ExecutionStatus::kAborted);
    CHECK(h.types().back() == "ExecutionAborted");
  }
  // 0 is no limit, and a value that is no integer fails the state as it enters.
  Harness unlimited(definition, json{{"items", {1, 2}}, {"limit", 0}});
  unlimited.run_to_end();
  CHECK(unlimited.execution.status() == ExecutionStatus::kSucceeded);
  Harness wrong(definition, json{{"items", {1, 2}}, {"limit", "many"}});
  wrong.run_to_end();
  CHECK(wrong.execution.error() == "States.Runtime");
  CHECK(wrong.count("MapStateEntered") == 1);
}

TEST_CASE("ItemsPath that is not an array fails with States.Runtime", "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.x",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})J",
            json{{"x", 1}});
  h.run_to_end();
  CHECK(h.execution.error() == "States.Runtime");
}

TEST_CASE("MaxConcurrency limits running iterations", "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,
      "ItemProcessor":{"StartAt":"T","States":{"T":)J" +
                activity_state() + R"J(}},"End":true}}})J",
            json{0, 1, 2, 3, 4});
  h.execution.start();
  CHECK(h.host.scheduled.size() == 2);
  CHECK(h.count("MapIterationStarted") == 2);
  CHECK(h.find("MapIterationStarted", 0)->previous_event_id == h.find("MapStateStarted")->id);
  CHECK(h.find("MapIterationStarted", 1)->previous_event_id == h.find("MapStateStarted")->id);
  h.execution.task_succeeded(h.host.scheduled[1].task_id, json{"r1"});
  CHECK(h.host.scheduled.size() == 3);
  CHECK(h.host.scheduled[2].input == 2);
  // Recorded on AWS: an iteration started because another ended links to
  // that iteration's last event (the one its MapIterationSucceeded links to).
  const auto* third = h.find("MapIterationStarted", 2);
  REQUIRE(third != nullptr);
  CHECK(third->details == json{{"name", "M"}, {"index", 2}});
  CHECK(third->previous_event_id == h.find("MapIterationSucceeded")->previous_event_id);
  CHECK(third->previous_event_id == h.find("TaskStateExited")->id);
  h.execution.task_succeeded(h.host.scheduled[0].task_id, json{"r0"});
  h.execution.task_succeeded(h.host.scheduled[2].task_id, json{"r2"});
  CHECK(h.host.scheduled.size() == 5);
  h.execution.task_succeeded(h.host.scheduled[4].task_id, json{"r4"});
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
  h.execution.task_succeeded(h.host.scheduled[3].task_id, json{"r3"});
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"r0"}, {"r1"}, {"r2"}, {"r3"}, {"r4"}});
  // Recorded on AWS: MapStateSucceeded and MapStateExited both link to the
  // last iteration's last event.
  const auto* last_iteration = h.find("MapIterationSucceeded", 4);
  REQUIRE(last_iteration != nullptr);
  CHECK(h.find("MapStateSucceeded")->previous_event_id == last_iteration->id);
  CHECK(h.find("MapStateExited")->previous_event_id == last_iteration->id);
}

TEST_CASE("MaxConcurrency 0 runs every iteration at once", "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":0,
      "ItemProcessor":{"StartAt":"T","States":{"T":)J" +
                activity_state() + R"J(}},"End":true}}})J",
            json{0, 1, 2, 3, 4, 5, 6});
  h.execution.start();
  CHECK(h.host.scheduled.size() == 7);
}

TEST_CASE("a failed iteration fails the Map with its error and aborts the others",
          "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemProcessor":{"StartAt":"T","States":{"T":)J" +
                activity_state() + R"J(}},"End":true}}})J",
            json{0, 1, 2});
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 3);
  h.execution.task_succeeded(h.host.scheduled[2].task_id, json{});
  h.execution.task_failed(h.host.scheduled[1].task_id, "Worker.Crashed", "killed");
  REQUIRE(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "Worker.Crashed");
  CHECK(h.execution.cause() == "killed");
  CHECK(h.host.cancelled_tasks == std::vector<std::uint64_t>{h.host.scheduled[0].task_id});
  // Recorded on AWS: after the failing event inside the iteration come
  // MapIterationFailed, the failed Task state's own TaskStateAborted, then for
  // each other running iteration MapIterationAborted and its state's
  // TaskStateAborted, then MapStateFailed with no details: all linked to the
  // failing event.
  const auto* failing = h.find("ActivityFailed");
  REQUIRE(failing != nullptr);
  const auto& events = h.execution.history();
  REQUIRE(events.size() == static_cast<std::size_t>(failing->id) + 6);
  const std::vector<std::string> tail = {"MapIterationFailed",  "TaskStateAborted",
                                         "MapIterationAborted", "TaskStateAborted",
                                         "MapStateFailed",      "ExecutionFailed"};
  for (std::size_t i = 0; i < tail.size(); ++i) {
    const auto& event = events[static_cast<std::size_t>(failing->id) + i];
    INFO("event " << event.id);
    CHECK(event.type == tail[i]);
    if (event.type != "ExecutionFailed") CHECK(event.previous_event_id == failing->id);
  }
  CHECK(h.count("MapIterationFailed") == 1);
  CHECK(h.find("MapIterationFailed")->details == json{{"name", "M"}, {"index", 1}});
  CHECK(h.count("MapIterationAborted") == 1);
  CHECK(h.find("MapIterationAborted")->details == json{{"name", "M"}, {"index", 0}});
  CHECK(h.count("TaskStateAborted") == 2);
  const auto* map_failed = h.find("MapStateFailed");
  REQUIRE(map_failed != nullptr);
  CHECK(map_failed->details_key.empty());
  CHECK(h.find("ExecutionFailed")->previous_event_id == map_failed->id);
  CHECK(h.execution.task_succeeded(h.host.scheduled[0].task_id, json{}) == TaskReport::kStale);
}

TEST_CASE("Map with ResultSelector, ResultPath and a Catch", "[execution][map]") {
  Harness h(R"J({"StartAt":"M","States":{
      "M":{"Type":"Map","ItemsPath":"$.items","ResultSelector":{"n.$":"States.ArrayLength($)"},"ResultPath":"$.count",
           "ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Choice",
              "Choices":[{"Variable":"$","NumericEquals":3,"Next":"Bad"}],"Default":"Ok"},
              "Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"Three"}}},
           "Catch":[{"ErrorEquals":["Three"],"Next":"H","ResultPath":"$.caught"}],
           "End":true},
      "H":{"Type":"Pass","End":true}}})J",
            json{{"items", {1, 2}}});
  h.run_to_end();
  CHECK(*h.execution.output() == json{{"items", {1, 2}}, {"count", {{"n", 2}}}});

  Harness failing(R"J({"StartAt":"M","States":{
      "M":{"Type":"Map","ItemsPath":"$.items",
           "ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Choice",
              "Choices":[{"Variable":"$","NumericEquals":3,"Next":"Bad"}],"Default":"Ok"},
              "Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"Three"}}},
           "Catch":[{"ErrorEquals":["Three"],"Next":"H","ResultPath":"$.caught"}],
           "End":true},
      "H":{"Type":"Pass","End":true}}})J",
                  json{{"items", {1, 3}}});
  failing.run_to_end();
  REQUIRE(failing.execution.status() == ExecutionStatus::kSucceeded);
  // A catcher's output always has Error and Cause, null when the failure had
  // none (the Fail state has no Cause).
  CHECK(failing.execution.output()->at("caught") == json{{"Error", "Three"}, {"Cause", nullptr}});
}

TEST_CASE("Map nested in Parallel nested in Map", "[execution][map][parallel]") {
  Harness h(R"J({"StartAt":"Outer","States":{"Outer":{"Type":"Map","End":true,
      "ItemProcessor":{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"Inner","States":{"Inner":{"Type":"Map","End":true,
           "ItemProcessor":{"StartAt":"D","States":{"D":{"Type":"Pass","Parameters":{"d.$":"States.MathAdd($, 1)"},"End":true}}}}}},
        {"StartAt":"L","States":{"L":{"Type":"Pass","Parameters":{"len.$":"States.ArrayLength($)"},"End":true}}}]}}}}}})J",
            json{{1, 2}, {3}});
  h.run_to_end();
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() ==
        json{{{{{"d", 2}}, {{"d", 3}}}, {{"len", 2}}}, {{{{"d", 4}}}, {{"len", 1}}}});
}

TEST_CASE("execution TimeoutSeconds times the execution out", "[execution][timeout]") {
  Harness h(R"J({"TimeoutSeconds":60,"StartAt":"T","States":{"T":)J" + activity_state() +
            R"J(}})J");
  h.execution.start();
  const auto task = h.host.last_task();
  h.execution.task_started(task.task_id, "w");
  h.host.run_for(59);
  CHECK(h.execution.status() == ExecutionStatus::kRunning);
  h.host.run_for(1);
  REQUIRE(h.execution.status() == ExecutionStatus::kTimedOut);
  // Recorded on AWS: DescribeExecution shows neither error nor cause, and the
  // history ends with one ExecutionTimedOut linked to no event, carrying
  // States.Timeout and no cause; the Task in flight records no TaskStateAborted.
  CHECK(h.execution.error().empty());
  CHECK(h.execution.cause().empty());
  CHECK(h.types() == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                              "ActivityScheduled", "ActivityStarted",
                                              "ExecutionTimedOut"});
  const auto& last = h.execution.history().back();
  CHECK(last.details_key == "executionTimedOutEventDetails");
  CHECK(last.details == json{{"error", "States.Timeout"}});
  CHECK(last.previous_event_id == 0);
  CHECK(h.host.cancelled_tasks == std::vector<std::uint64_t>{task.task_id});
  CHECK_FALSE(h.host.has_timers());
  CHECK(h.execution.task_succeeded(task.task_id, json{}) == TaskReport::kStale);
  CHECK(h.execution.stop_date() == loveless::asl::testing::at_seconds(1704067260));
}

TEST_CASE("stop() aborts the execution and every open task and timer", "[execution][stop]") {
  Harness h(R"J({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"T","States":{"T":)J" +
            activity_state(R"J(,"HeartbeatSeconds":10)J") + R"J(}},
      {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}]}}})J");
  h.execution.start();
  h.execution.task_started(h.host.last_task().task_id, "w");
  const auto before = h.execution.history().size();
  h.execution.stop("User.Stop", "");
  REQUIRE(h.execution.status() == ExecutionStatus::kAborted);
  CHECK(h.execution.error() == "User.Stop");
  CHECK(h.host.cancelled_tasks.size() == 1);
  CHECK_FALSE(h.host.has_timers());
  // Recorded on AWS: StopExecution adds a single ExecutionAborted, linked to
  // no event; the states in flight record no *StateAborted.
  REQUIRE(h.execution.history().size() == before + 1);
  CHECK(h.count("TaskStateAborted") == 0);
  CHECK(h.count("WaitStateAborted") == 0);
  CHECK(h.count("ParallelStateAborted") == 0);
  const auto& last = h.execution.history().back();
  CHECK(last.type == "ExecutionAborted");
  CHECK(last.previous_event_id == 0);
  CHECK(last.details_key == "executionAbortedEventDetails");
  CHECK(last.details == json{{"error", "User.Stop"}});
  const auto size = h.execution.history().size();
  h.execution.stop("again", "");
  CHECK(h.execution.history().size() == size);
  CHECK(h.execution.task_failed(h.host.last_task().task_id, "E", "") == TaskReport::kStale);
}

TEST_CASE("stop() without error or cause records empty details", "[execution][stop]") {
  Harness h(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}})J");
  h.execution.start();
  h.execution.stop("", "");
  REQUIRE(h.execution.status() == ExecutionStatus::kAborted);
  CHECK(h.execution.error().empty());
  CHECK(h.execution.cause().empty());
  // Recorded on AWS (a stop during a Wait): no WaitStateAborted, and the
  // ExecutionAborted links to no event.
  CHECK(h.types() ==
        std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "ExecutionAborted"});
  CHECK(h.execution.history().back().details == json::object());
  CHECK(h.execution.history().back().previous_event_id == 0);
  CHECK_FALSE(h.host.has_timers());
}

TEST_CASE("stop() with an error and a cause records both", "[execution][stop]") {
  Harness h(R"J({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}})J");
  h.execution.start();
  h.execution.stop("Operator.Stop", "maintenance");
  REQUIRE(h.execution.status() == ExecutionStatus::kAborted);
  CHECK(h.execution.error() == "Operator.Stop");
  CHECK(h.execution.cause() == "maintenance");
  CHECK(h.execution.history().back().details ==
        json{{"error", "Operator.Stop"}, {"cause", "maintenance"}});
  CHECK(h.execution.history().back().previous_event_id == 0);
}

TEST_CASE("a 2,000-state Pass chain runs in a loop, quickly", "[execution][performance]") {
  json states = json::object();
  constexpr int kStates = 2000;
  const auto name = [](int i) {
    std::string n = "S";
    n += std::to_string(i);
    return n;
  };
  for (int i = 0; i < kStates; ++i) {
    json state = {{"Type", "Pass"}, {"Parameters", {{"n.$", "States.MathAdd($.n, 1)"}}}};
    if (i + 1 == kStates) {
      state["End"] = true;
    } else {
      state["Next"] = name(i + 1);
    }
    states[name(i)] = state;
  }
  const std::string definition = json{{"StartAt", "S0"}, {"States", states}}.dump();
  const auto started = std::chrono::steady_clock::now();
  Harness h(definition, json{{"n", 0}});
  h.run_to_end();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(*h.execution.output() == json{{"n", kStates}});
  CHECK(h.execution.state_transitions() == kStates);
  CHECK(h.execution.history().size() == 2 * kStates + 2);
  // Generous even for a Debug build on a loaded machine; catches quadratic behaviour.
  CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("an oversized task result fails the task, States.ALL and its name catch it",
          "[execution][catch]") {
  const std::string big(140000, 'x');
  const auto definition = [](const std::string& resource, const std::string& error_equals) {
    return R"J({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")J" + resource +
           R"J(","Catch":[{"ErrorEquals":[)J" + error_equals +
           R"J(],"ResultPath":"$.error","Next":"H"}],"End":true},"H":{"Type":"Succeed"}}})J";
  };
  const std::string limit_tail =
      "' returned a result with a size exceeding the maximum number of bytes service limit.";
  for (const std::string error_equals : {R"("States.DataLimitExceeded")", R"("States.ALL")"}) {
    INFO(error_equals);
    Harness h(definition(kFlowActivityArn, error_equals), json{{"in", 1}});
    h.execution.start();
    h.execution.task_succeeded(h.host.last_task().task_id, json{{"a", big}, {"b", big}});
    REQUIRE(h.execution.status() == ExecutionStatus::kSucceeded);
    // Recorded on AWS: the task's own event fails; it never succeeded.
    CHECK(h.count("ActivitySucceeded") == 0);
    const auto* failed = h.find("ActivityFailed");
    REQUIRE(failed != nullptr);
    CHECK(failed->details["error"] == "States.DataLimitExceeded");
    CHECK_THAT(failed->details["cause"].get<std::string>(),
               Catch::StartsWith("The state/task '") && Catch::EndsWith(limit_tail));
    const json& caught = h.execution.output()->at("error");
    CHECK(caught["Error"] == "States.DataLimitExceeded");
    CHECK(caught["Cause"] == failed->details["cause"]);
    CHECK(h.execution.output()->at("in") == 1);
  }

  // lambda:invoke, as recorded: TaskFailed naming the resource type.
  Harness invoke(definition("arn:aws:states:::lambda:invoke", R"("States.ALL")"));
  invoke.execution.start();
  invoke.execution.task_succeeded(invoke.host.last_task().task_id, json{{"a", big}, {"b", big}});
  REQUIRE(invoke.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(invoke.count("TaskSucceeded") == 0);
  const auto* task_failed = invoke.find("TaskFailed");
  REQUIRE(task_failed != nullptr);
  CHECK(task_failed->details["error"] == "States.DataLimitExceeded");
  CHECK(task_failed->details["cause"] == "The state/task 'lambda" + limit_tail);
  CHECK(invoke.execution.output()->at("error") ==
        json{{"Error", "States.DataLimitExceeded"},
             {"Cause", "The state/task 'lambda" + limit_tail}});

  // A catcher naming something else does not take it.
  Harness other(definition(kFlowActivityArn, R"("Other")"));
  other.execution.start();
  other.execution.task_succeeded(other.host.last_task().task_id, json{{"a", big}, {"b", big}});
  CHECK(other.execution.status() == ExecutionStatus::kFailed);
  CHECK(other.execution.error() == "States.DataLimitExceeded");
  CHECK(other.find("ActivityFailed") != nullptr);
}

TEST_CASE("an execution timeout during a Map cancels every iteration's task",
          "[execution][timeout][map]") {
  Harness h(R"J({"TimeoutSeconds":5,"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,
      "ItemProcessor":{"StartAt":"T","States":{"T":)J" +
                activity_state() + R"J(}},"End":true}}})J",
            json{1, 2, 3});
  h.execution.start();
  REQUIRE(h.host.scheduled.size() == 2);
  h.host.run_for(5);
  REQUIRE(h.execution.status() == ExecutionStatus::kTimedOut);
  CHECK(h.host.cancelled_tasks.size() == 2);
  CHECK(h.types().back() == "ExecutionTimedOut");
  CHECK(h.count("MapIterationAborted") == 0);
}
