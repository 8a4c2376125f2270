// A parent workflow that starts a child workflow (states:startExecution.sync:2,
// the child bound with state_machine_arn) is chaos-tested through its
// child's workers: a worker killed under the child's task is recovered by the
// child's own Retry, and the parent's executions all succeed.
#include <catch2/catch.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/injectors/policy.hpp"
#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/local_scenario_stack.hpp"

#include "runner_test_support.hpp"
#include "support/temp_dir.hpp"

namespace loveless::scenario::runner_testing {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)
using loveless::testing::TempDir;

/// Pools `work` (activity) and `finish` (function) as make_spec's; the
/// child workflow `one-task`; the executions start `parent`, whose
/// ${ChildStateMachineArn} names `child`.
ScenarioSpec nested_spec(const std::string& name, const std::string& child,
                         const std::vector<injectors::Injector>& injectors) {
  ScenarioSpec spec;
  spec.name = name;
  Scenario s(spec);
  s.workflow("one-task", LOVELESS_RUNNER_TEST_WORKFLOW)
      .bind("WorkActivityArn", activity_arn("work"))
      .bind("FinishFunctionArn", function_arn("finish"));
  auto parent = s.workflow("parent", LOVELESS_RUNNER_TEST_NESTED_WORKFLOW)
                    .bind("ChildStateMachineArn", state_machine_arn(child));
  const std::vector<std::string> command = {LOVELESS_RUNNER_TEST_WORKER, "echo"};
  s.activity_pool("work")
      .command(command)
      .replicas(2)
      .env("LOVELESS_HEARTBEAT_INTERVAL_MS", "200")
      .env("LOVELESS_STOP_GRACE_MS", "50");
  s.function_pool("finish")
      .command(command)
      .timeout(std::chrono::seconds(10))
      .env("LOVELESS_STOP_GRACE_MS", "50");
  std::vector<nlohmann::json> inputs;
  for (int i = 0; i < 2; ++i) {
    inputs.push_back({{"id", std::to_string(i)}, {"sleep_ms", 300}, {"function_sleep_ms", 0}});
  }
  auto workload = s.executions(parent);
  workload.count(2).concurrency(2).inputs(std::move(inputs));
  for (const auto& injector : injectors) s.inject(injector);
  s.check(checks::all_executions_succeed());
  s.deadline(std::chrono::seconds(60));
  return spec;
}

std::vector<std::string> problems_of(const ScenarioSpec& spec) {
  auto stack = make_local_scenario_stack("process", "nested-test", "", 1);
  return validate(spec, *stack, {});
}

}  // namespace

TEST_CASE("runner on processes: a parent workflow survives a kill in the child it starts",
          "[runner][process][nested]") {
  const TempDir runs;
  const auto run = runner_testing::run(
      nested_spec("runner: nested kill", "one-task",
                  {injectors::kill().on_task_started("Work").after(100ms).at_most(1)}),
      Fleet{"process", {}}, runs.path());
  INFO(run.summary());
  CHECK(run.result.passed);
  const auto& history = run.history();
  REQUIRE(history.faults.size() == 1);
  CHECK(history.faults.front().applied_ok);
  CHECK(history.faults.front().state_name == "Work");
  // The fault hit a child execution's task: the child ran the Work state.
  const auto& hit = history.faults.front().execution_arn;
  CHECK(hit.find(":execution:loveless-one-task:") != std::string::npos);
  // The children's histories are collected with the workload's: one child per
  // parent execution, its tasks among the run's, the killed one retried.
  CHECK(history.executions.size() == 4);
  CHECK(history.child_executions.size() == 4);
  for (const auto& child : history.child_executions) {
    CHECK(child.workflow == "one-task");
    CHECK(child.succeeded());
  }
  const auto work = tasks_of(history, hit, "Work");
  REQUIRE(work.size() >= 2);
  CHECK(work.front()->worker == history.faults.front().worker);
  CHECK(work.back()->outcome == TaskOutcome::kSucceeded);
}

TEST_CASE("a workflow reference that names no workflow, or a cycle, is refused before the run",
          "[runner][nested]") {
  SECTION("an undeclared workflow") {
    const auto spec = nested_spec("runner: nested unknown", "no-such-workflow", {});
    const auto problems = problems_of(spec);
    REQUIRE_FALSE(problems.empty());
    CHECK_THAT(problems.front(),
               Catch::Contains("${ChildStateMachineArn} names workflow no-such-workflow, which "
                               "the scenario does not declare"));
  }
  SECTION("a cycle") {
    const auto spec = nested_spec("runner: nested cycle", "parent", {});
    const auto problems = problems_of(spec);
    REQUIRE_FALSE(problems.empty());
    CHECK_THAT(problems.front(), Catch::Contains("workflows parent -> parent start each other's "
                                                 "state machines in a cycle"));
  }
}

}  // namespace loveless::scenario::runner_testing
