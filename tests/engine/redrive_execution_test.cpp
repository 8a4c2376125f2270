// RedriveExecution, and the redrive members of DescribeExecution and ListExecutions.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"
#include "redrive_eligibility.hpp"
#include "service_context.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using nlohmann::json;

namespace {

/// A Pass, then a Task on `activity`, then a Pass that reads the context's redrive count.
std::string pass_task_pass(const std::string& activity) {
  return json{{"StartAt", "Before"},
              {"States",
               {{"Before", {{"Type", "Pass"}, {"Result", {{"step", 1}}}, {"Next", "Work"}}},
                {"Work", {{"Type", "Task"}, {"Resource", activity}, {"Next", "After"}}},
                {"After",
                 {{"Type", "Pass"},
                  {"Parameters", {{"work.$", "$"}, {"redrives.$", "$$.Execution.RedriveCount"}}},
                  {"End", true}}}}}}
      .dump();
}

int count_of(const std::vector<std::string>& types, const std::string& type) {
  return static_cast<int>(std::count(types.begin(), types.end(), type));
}

/// Takes the queued task of `activity` and fails or succeeds it.
json take(ServiceFixture& f, const std::string& activity) {
  const auto task = f.poll(activity);
  REQUIRE(task);
  return *task;
}
void fail_task(ServiceFixture& f, const json& task) {
  f.call("SendTaskFailure",
         {{"taskToken", task["taskToken"]}, {"error", "Boom"}, {"cause", "worker crashed"}});
}
void succeed_task(ServiceFixture& f, const json& task, const std::string& output) {
  f.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", output}});
}

json redrive(ServiceFixture& f, const std::string& execution, const std::string& token = "") {
  json request = {{"executionArn", execution}};
  if (!token.empty()) request["clientToken"] = token;
  return f.call("RedriveExecution", request);
}

}  // namespace

TEST_CASE("a failed execution is redriven from its failed state, keeping what succeeded",
          "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", pass_task_pass(activity));
  const auto run = f.start(sm, "r", R"({"order": 7})");
  fail_task(f, take(f, activity));
  REQUIRE(f.status(run) == "FAILED");

  auto described = f.describe(run);
  CHECK(described["redriveCount"] == 0);
  CHECK(described["redriveStatus"] == "REDRIVABLE");
  CHECK_FALSE(described.contains("redriveStatusReason"));
  CHECK_FALSE(described.contains("redriveDate"));
  const auto failed_events = f.history(run).size();

  const auto response = redrive(f, run);
  REQUIRE(response.contains("redriveDate"));
  CHECK(response["redriveDate"].is_number());
  described = f.describe(run);
  CHECK(described["status"] == "RUNNING");
  CHECK(described["redriveCount"] == 1);
  CHECK(described["redriveDate"] == response["redriveDate"]);
  CHECK(described["redriveStatus"] == "NOT_REDRIVABLE");
  CHECK(described["redriveStatusReason"] == "Execution is RUNNING and cannot be redriven");
  CHECK_FALSE(described.contains("stopDate"));
  CHECK_FALSE(described.contains("error"));

  const auto history = f.history(run);
  REQUIRE(history.size() > failed_events + 1);
  const auto& redriven = history[failed_events];
  CHECK(redriven["type"] == "ExecutionRedriven");
  CHECK(redriven["executionRedrivenEventDetails"] == json{{"redriveCount", 1}});
  CHECK(redriven["previousEventId"] == failed_events);
  const auto& entered = history[failed_events + 1];
  CHECK(entered["type"] == "TaskStateEntered");
  CHECK(entered["previousEventId"] == redriven["id"]);
  CHECK(json::parse(entered["stateEnteredEventDetails"]["input"].get<std::string>()) ==
        json{{"step", 1}});

  const auto task = take(f, activity);
  CHECK(json::parse(task["input"].get<std::string>()) == json{{"step", 1}});
  succeed_task(f, task, R"({"shipped": true})");
  REQUIRE(f.status(run) == "SUCCEEDED");
  CHECK(json::parse(f.describe(run)["output"].get<std::string>()) ==
        json{{"work", {{"shipped", true}}}, {"redrives", 1}});

  const auto types = f.event_types(run);
  CHECK(count_of(types, "PassStateEntered") == 2);  // Before once, After once
  CHECK(count_of(types, "TaskStateEntered") == 2);
  CHECK(types.back() == "ExecutionSucceeded");
  described = f.describe(run);
  CHECK(described["redriveStatus"] == "NOT_REDRIVABLE");
  CHECK(described["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven");
}

TEST_CASE("RedriveExecution answers AWS's errors", "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", pass_task_pass(activity));

  SECTION("a running execution") {
    const auto run = f.start(sm, "running");
    const auto error = service_error([&] { redrive(f, run); });
    CHECK(error.type() == "ExecutionNotRedrivable");
    CHECK(error.message() == "Execution is RUNNING and cannot be redriven");
  }
  SECTION("a succeeded execution") {
    const auto ok = f.create_state_machine("ok", pass_definition());
    const auto run = f.start(ok, "done");
    REQUIRE(f.status(run) == "SUCCEEDED");
    const auto error = service_error([&] { redrive(f, run); });
    CHECK(error.type() == "ExecutionNotRedrivable");
    CHECK(error.message() == "Execution is SUCCEEDED and cannot be redriven");
  }
  SECTION("an unknown execution, a malformed ARN, a missing ARN") {
    const auto unknown = "arn:aws:states:us-east-1:123456789012:execution:orders:nope";
    auto error = service_error([&] { redrive(f, unknown); });
    CHECK(error.type() == "ExecutionDoesNotExist");
    CHECK(error.message() == std::string("Execution Does Not Exist: '") + unknown + "'");
    CHECK(service_error([&] { redrive(f, "not-an-arn"); }).type() == "InvalidArn");
    CHECK(service_error([&] { f.call("RedriveExecution", json::object()); }).type() ==
          "ValidationException");
  }
  SECTION("a malformed clientToken") {
    const auto run = f.start(sm, "r");
    CHECK(service_error([&] { redrive(f, run, "has space"); }).type() == "ValidationException");
    CHECK(service_error([&] { redrive(f, run, std::string(65, 'x')); }).type() ==
          "ValidationException");
  }
  SECTION("the state machine is deleted") {
    const auto run = f.start(sm, "r");
    fail_task(f, take(f, activity));
    REQUIRE(f.status(run) == "FAILED");
    f.call("DeleteStateMachine", {{"stateMachineArn", sm}});
    const auto error = service_error([&] { redrive(f, run); });
    CHECK(error.type() == "ExecutionNotRedrivable");
    CHECK(error.message() == "State machine is in DELETING status");
    CHECK(f.describe(run)["redriveStatus"] == "NOT_REDRIVABLE");
  }
}

TEST_CASE("a redrive with a clientToken already used answers the same redrive again",
          "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", pass_task_pass(activity));
  const auto run = f.start(sm, "r");
  fail_task(f, take(f, activity));

  const auto first = redrive(f, run, "token-1");
  // Still running: the same token is not an error, and redrives nothing.
  CHECK(redrive(f, run, "token-1") == first);
  fail_task(f, take(f, activity));
  REQUIRE(f.status(run) == "FAILED");
  CHECK(redrive(f, run, "token-1") == first);
  CHECK(f.status(run) == "FAILED");
  CHECK(f.describe(run)["redriveCount"] == 1);

  // A new token redrives again.
  redrive(f, run, "token-2");
  CHECK(f.status(run) == "RUNNING");
  CHECK(f.describe(run)["redriveCount"] == 2);
  CHECK(count_of(f.event_types(run), "ExecutionRedriven") == 2);
}

TEST_CASE("aborted and timed-out executions are redriven", "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");

  SECTION("ABORTED by StopExecution: the task in flight runs again") {
    const auto sm = f.create_state_machine("orders", pass_task_pass(activity));
    const auto run = f.start(sm, "r");
    const auto stale = take(f, activity);
    f.call("StopExecution", {{"executionArn", run}});
    REQUIRE(f.status(run) == "ABORTED");
    CHECK(f.describe(run)["redriveStatus"] == "REDRIVABLE");
    redrive(f, run);
    CHECK(f.status(run) == "RUNNING");
    // The old token stays closed; the new task has a new one.
    CHECK(service_error([&] { succeed_task(f, stale, "{}"); }).type() == "TaskTimedOut");
    succeed_task(f, take(f, activity), R"({"ok": 1})");
    CHECK(f.status(run) == "SUCCEEDED");
  }
  SECTION("TIMED_OUT: the execution's TimeoutSeconds counts again from the redrive") {
    const auto definition =
        json{{"StartAt", "Work"},
             {"TimeoutSeconds", 1},
             {"States", {{"Work", {{"Type", "Task"}, {"Resource", activity}, {"End", true}}}}}}
            .dump();
    const auto sm = f.create_state_machine("slow", definition);
    const auto run = f.start(sm, "r");
    REQUIRE(f.wait_for_status(run, "TIMED_OUT", std::chrono::seconds(5)));
    redrive(f, run);
    CHECK(f.status(run) == "RUNNING");
    REQUIRE(f.wait_for_status(run, "TIMED_OUT", std::chrono::seconds(5)));
    const auto types = f.event_types(run);
    CHECK(count_of(types, "ExecutionTimedOut") == 2);
    CHECK(count_of(types, "ExecutionRedriven") == 1);
  }
}

TEST_CASE("a redriven Parallel reruns only its unsuccessful branches", "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto branch = [](const std::string& state, const json& body) {
    return json{{"StartAt", state}, {"States", {{state, body}}}};
  };
  const auto definition =
      json{{"StartAt", "Both"},
           {"States",
            {{"Both",
              {{"Type", "Parallel"},
               {"End", true},
               {"Branches",
                {branch("Quick", {{"Type", "Pass"}, {"Result", "quick"}, {"End", true}}),
                 branch("Slow", {{"Type", "Task"}, {"Resource", activity}, {"End", true}})}}}}}}}
          .dump();
  const auto sm = f.create_state_machine("both", definition);
  const auto run = f.start(sm, "r");
  fail_task(f, take(f, activity));
  REQUIRE(f.status(run) == "FAILED");

  redrive(f, run);
  succeed_task(f, take(f, activity), R"("slow")");
  REQUIRE(f.status(run) == "SUCCEEDED");
  CHECK(json::parse(f.describe(run)["output"].get<std::string>()) == json{"quick", "slow"});

  const auto types = f.event_types(run);
  CHECK(count_of(types, "PassStateEntered") == 1);  // the succeeded branch did not rerun
  CHECK(count_of(types, "TaskStateEntered") == 2);
  CHECK(count_of(types, "ParallelStateEntered") == 2);
  CHECK(count_of(types, "ParallelStateStarted") == 2);
  CHECK(count_of(types, "ParallelStateSucceeded") == 1);
}

TEST_CASE("a redriven Map reruns only its failed, aborted and unstarted iterations",
          "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto definition =
      json{{"StartAt", "Each"},
           {"States",
            {{"Each",
              {{"Type", "Map"},
               {"MaxConcurrency", 1},
               {"End", true},
               {"ItemProcessor",
                {{"StartAt", "Work"},
                 {"States",
                  {{"Work", {{"Type", "Task"}, {"Resource", activity}, {"End", true}}}}}}}}}}}}
          .dump();
  const auto sm = f.create_state_machine("each", definition);
  const auto run = f.start(sm, "r", "[10, 20, 30]");
  succeed_task(f, take(f, activity), "11");
  fail_task(f, take(f, activity));  // item 20 fails; item 30 never starts
  REQUIRE(f.status(run) == "FAILED");
  const auto events_before = f.history(run).size();

  redrive(f, run);
  auto task = take(f, activity);
  CHECK(json::parse(task["input"].get<std::string>()) == 20);
  succeed_task(f, task, "21");
  task = take(f, activity);
  CHECK(json::parse(task["input"].get<std::string>()) == 30);
  succeed_task(f, task, "31");
  REQUIRE(f.status(run) == "SUCCEEDED");
  CHECK(json::parse(f.describe(run)["output"].get<std::string>()) == json{11, 21, 31});

  std::vector<int> restarted;
  const auto history = f.history(run);
  for (std::size_t i = events_before; i < history.size(); ++i) {
    if (history[i]["type"] == "MapIterationStarted") {
      restarted.push_back(history[i]["mapIterationStartedEventDetails"]["index"]);
    }
    if (history[i]["type"] == "MapStateStarted") {
      CHECK(history[i]["mapStateStartedEventDetails"]["length"] == 3);
    }
  }
  CHECK(restarted == std::vector<int>{1, 2});
}

TEST_CASE("ListExecutions reports redrives and filters on them", "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", pass_task_pass(activity));
  const auto redriven = f.start(sm, "redriven");
  fail_task(f, take(f, activity));
  redrive(f, redriven);
  const auto plain = f.start(sm, "plain");

  const auto list = [&](const std::string& filter) {
    json request = {{"stateMachineArn", sm}};
    if (!filter.empty()) request["redriveFilter"] = filter;
    std::vector<std::string> names;
    const auto response = f.call("ListExecutions", request);
    for (const auto& item : response["executions"]) {
      names.push_back(item["name"]);
      CHECK(item["redriveCount"] == (item["name"] == "redriven" ? 1 : 0));
      CHECK(item.contains("redriveDate") == (item["name"] == "redriven"));
    }
    return names;
  };
  CHECK(list("") == std::vector<std::string>{"plain", "redriven"});
  CHECK(list("REDRIVEN") == std::vector<std::string>{"redriven"});
  CHECK(list("NOT_REDRIVEN") == std::vector<std::string>{"plain"});
  CHECK(service_error([&] { list("SOMETIMES"); }).type() == "ValidationException");
  (void)plain;
}

TEST_CASE("an execution is redriven at most 1,000 times", "[engine][redrive]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine(
      "doomed", R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "No"}}})");
  const auto run = f.start(sm, "r");
  for (int i = 0; i < 1000; ++i) {
    redrive(f, run);
    REQUIRE(f.status(run) == "FAILED");
  }
  CHECK(f.describe(run)["redriveCount"] == 1000);
  CHECK(f.describe(run)["redriveStatus"] == "NOT_REDRIVABLE");
  const auto error = service_error([&] { redrive(f, run); });
  CHECK(error.type() == "ExecutionNotRedrivable");
  CHECK(error.message() == "Execution has been redriven the maximum number of times (1000)");
}

TEST_CASE("an execution whose history is full is not redrivable", "[engine][redrive]") {
  ServiceFixture f;
  // 6,250 iterations of 4 events each reach AWS's 25,000-event quota.
  const auto definition =
      json{{"StartAt", "Each"},
           {"States",
            {{"Each",
              {{"Type", "Map"},
               {"End", true},
               {"ItemProcessor",
                {{"StartAt", "P"}, {"States", {{"P", {{"Type", "Pass"}, {"End", true}}}}}}}}}}}}
          .dump();
  const auto sm = f.create_state_machine("huge", definition);
  const auto run = f.start(sm, "r", json(std::vector<int>(6250, 1)).dump());
  REQUIRE(f.status(run) == "FAILED");
  const auto described = f.describe(run);
  CHECK(described["redriveStatus"] == "NOT_REDRIVABLE");
  CHECK(described["redriveStatusReason"] == "Execution history event limit exceeded");
  CHECK(service_error([&] { redrive(f, run); }).type() == "ExecutionNotRedrivable");
}

TEST_CASE("a redrive reaches into nested Parallel and Map states, and into aborted ones",
          "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto task = json{{"Type", "Task"}, {"Resource", activity}, {"End", true}};
  const auto branch = [](const std::string& state, const json& body) {
    return json{{"StartAt", state}, {"States", {{state, body}}}};
  };

  SECTION("a Parallel inside a Map iteration: only the failed branch reruns") {
    const json parallel = {
        {"Type", "Parallel"},
        {"End", true},
        {"Branches", {branch("Quick", {{"Type", "Pass"}, {"End", true}}), branch("Slow", task)}}};
    const auto definition =
        json{{"StartAt", "Each"},
             {"States",
              {{"Each",
                {{"Type", "Map"},
                 {"End", true},
                 {"ItemProcessor", {{"StartAt", "Both"}, {"States", {{"Both", parallel}}}}}}}}}}
            .dump();
    const auto sm = f.create_state_machine("nested", definition);
    const auto run = f.start(sm, "r", "[7]");
    fail_task(f, take(f, activity));
    REQUIRE(f.status(run) == "FAILED");
    redrive(f, run);
    succeed_task(f, take(f, activity), R"("slow")");
    REQUIRE(f.status(run) == "SUCCEEDED");
    CHECK(json::parse(f.describe(run)["output"].get<std::string>()) ==
          json::parse(R"([[7, "slow"]])"));
    const auto types = f.event_types(run);
    CHECK(count_of(types, "PassStateEntered") == 1);
    CHECK(count_of(types, "ParallelStateStarted") == 2);
    CHECK(count_of(types, "MapIterationStarted") == 2);
  }
  SECTION("a Parallel aborted by StopExecution: the branch that finished stands") {
    const auto definition = json{{"StartAt", "Both"},
                                 {"States",
                                  {{"Both",
                                    {{"Type", "Parallel"},
                                     {"End", true},
                                     {"Branches", {branch("A", task), branch("B", task)}}}}}}}
                                .dump();
    const auto sm = f.create_state_machine("stopped", definition);
    const auto run = f.start(sm, "r");
    const auto first = take(f, activity);
    const auto second = take(f, activity);
    succeed_task(f, first, R"("first")");
    f.call("StopExecution", {{"executionArn", run}});
    REQUIRE(f.status(run) == "ABORTED");
    redrive(f, run);
    const auto again = take(f, activity);
    CHECK(again["input"] == second["input"]);
    succeed_task(f, again, R"("second")");
    REQUIRE(f.status(run) == "SUCCEEDED");
    const auto out = json::parse(f.describe(run)["output"].get<std::string>());
    CHECK((out == json{"first", "second"} || out == json{"second", "first"}));
    CHECK(count_of(f.event_types(run), "ActivityScheduled") == 3);
  }
}

TEST_CASE("a redriven state retries as often as its Retry allows, anew", "[engine][redrive]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto definition = json{
      {"StartAt", "Work"},
      {"States",
       {{"Work",
         {{"Type", "Task"},
          {"Resource", activity},
          {"Retry",
           json::array({{{"ErrorEquals", {"Boom"}}, {"IntervalSeconds", 1}, {"MaxAttempts", 1}}})},
          {"End", true}}}}}}.dump();
  const auto sm = f.create_state_machine("retried", definition);
  const auto run = f.start(sm, "r");
  // The first attempt and its one retry fail.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::optional<json> task;
    REQUIRE(wait_until([&] { return (task = f.poll(activity)).has_value(); }));
    fail_task(f, *task);
  }
  REQUIRE(f.wait_for_status(run, "FAILED"));

  // After the redrive the state has its retry again.
  redrive(f, run);
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::optional<json> task;
    REQUIRE(wait_until([&] { return (task = f.poll(activity)).has_value(); }));
    fail_task(f, *task);
  }
  REQUIRE(f.wait_for_status(run, "FAILED"));
  CHECK(count_of(f.event_types(run), "ActivityScheduled") == 4);
}

namespace {

/// An interpreter host on a clock the test sets.
class ClockHost final : public loveless::asl::ExecutionHost {
 public:
  loveless::asl::TimePoint time{};
  loveless::asl::TimePoint now() override { return time; }
  loveless::asl::RandomSource& random() override { return random_; }
  void schedule_task(const loveless::asl::TaskRequest& /*request*/) override {}
  void cancel_task(std::uint64_t /*task_id*/) override {}
  void start_timer(std::uint64_t /*timer_id*/, loveless::asl::TimePoint /*due*/) override {}
  void cancel_timer(std::uint64_t /*timer_id*/) override {}

 private:
  loveless::asl::SeededRandom random_{1};
};

}  // namespace

TEST_CASE("an execution is redrivable for 14 days after it ends and a year after it starts",
          "[engine][redrive]") {
  using loveless::asl::Definition;
  using loveless::asl::Execution;
  using std::chrono::hours;
  ServiceContext context(fast_options());
  const auto definition =
      Definition::parse(R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "No"}}})");
  StateMachineRecord state_machine;
  state_machine.arn = "arn:aws:states:us-east-1:123456789012:stateMachine:old";
  state_machine.name = "old";
  auto revision = std::make_shared<loveless::engine::StateMachineRevision>();
  revision->definition = definition;
  state_machine.revision = revision;
  context.state_machines.create(state_machine);
  const auto now = ServiceContext::now();
  loveless::asl::ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:old:r";
  info.state_machine_arn = state_machine.arn;

  const auto judge = [&](hours started_ago, hours ended_ago) {
    ClockHost host;
    host.time = now - started_ago;
    Execution execution(definition, info, json::object(), host);
    host.time = now - ended_ago;
    execution.start();
    REQUIRE(execution.status() == loveless::asl::ExecutionStatus::kFailed);
    return redrive_eligibility(context, state_machine.arn, execution, now);
  };
  CHECK(judge(hours(24 * 13), hours(24 * 13)).status == "REDRIVABLE");
  const auto late = judge(hours(24 * 15), hours(24 * 15));
  CHECK(late.status == "NOT_REDRIVABLE");
  CHECK(late.reason == "Execution redrivable period exceeded");
  const auto old = judge(hours(24 * 400), hours(24));
  CHECK(old.status == "NOT_REDRIVABLE");
  CHECK(old.reason == "Execution has exceeded the max execution time");
}
