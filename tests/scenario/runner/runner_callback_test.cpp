// A worker that receives its task token through lambda:invoke.waitForTaskToken
// (callback_task.asl.json) is chaos-tested as an activity worker is: its
// Lambda environment is killed mid-task or paused past HeartbeatSeconds, and
// the Retry runs the work again on another environment with a new token.
#include <catch2/catch.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/injectors/policy.hpp"

#include "runner_test_support.hpp"
#include "support/temp_dir.hpp"

namespace loveless::scenario::runner_testing {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)
using loveless::testing::TempDir;

const Fleet kCallbackFleet{"process", {}};

/// Two executions, one at a time, each a 600 ms callback task on pool `work`
/// (a function), with `injector` on during the chaos phase.
ScenarioSpec callback_spec(const std::string& name, const injectors::Injector& injector) {
  ScenarioSpec spec;
  spec.name = name;
  Scenario s(spec);
  auto wf = s.workflow("callback-task", LOVELESS_RUNNER_TEST_CALLBACK_WORKFLOW)
                .bind("WorkFunctionArn", function_arn("work"));
  s.function_pool("work")
      .command(std::vector<std::string>{LOVELESS_RUNNER_TEST_WORKER, "callback"})
      .timeout(std::chrono::seconds(10))
      .env("LOVELESS_STOP_GRACE_MS", "50");
  std::vector<nlohmann::json> inputs;
  inputs.reserve(2);
  for (int i = 0; i < 2; ++i) {
    inputs.push_back({{"id", std::to_string(i)}, {"function_sleep_ms", 600}});
  }
  auto workload = s.executions(wf);
  workload.count(2).concurrency(1).inputs(std::move(inputs));
  s.inject(injector);
  s.check(checks::all_executions_succeed());
  s.check(checks::outputs_match_control());
  s.check(checks::recovery_time().max() < 10s);
  s.check(checks::time_to_detect().max() < 5s);
  s.deadline(std::chrono::seconds(60));
  return spec;
}

/// The one fault of the run hit a Work task mid-invocation; that attempt
/// ended with `error` and a later one, on another environment, succeeded.
void check_recovered(const Run& run, history::FaultKind kind, const std::string& error) {
  const auto& history = run.history();
  REQUIRE(history.faults.size() == 1);
  const auto& fault = history.faults.front();
  CHECK(fault.kind == kind);
  CHECK(fault.applied_ok);
  CHECK(fault.pool == "work");
  CHECK(fault.state_name == "Work");
  const auto tasks = tasks_of(history, fault.execution_arn, "Work");
  REQUIRE(tasks.size() >= 2);
  const auto* hit = tasks.front();
  const auto* recovered = tasks.back();
  CHECK(hit->worker == fault.worker);
  CHECK(hit->error == error);
  CHECK(recovered->outcome == TaskOutcome::kSucceeded);
  CHECK(recovered->worker != fault.worker);
  CHECK(all_checks_pass(run.result));
}

}  // namespace

TEST_CASE(
    "runner on processes: a callback worker (lambda:invoke.waitForTaskToken) survives "
    "kill and a pause past HeartbeatSeconds",
    "[runner][process][callback]") {
  const TempDir runs;
  SECTION("kill mid-task: the invocation fails (Lambda.Unknown) and is retried") {
    const auto run = runner_testing::run(
        callback_spec("runner: callback kill",
                      injectors::kill().on_task_started("Work").after(200ms).at_most(1)),
        kCallbackFleet, runs.path());
    INFO(run.summary());
    CHECK(run.result.passed);
    check_recovered(run, history::FaultKind::kKill, "Lambda.Unknown");
  }
  SECTION("pause 3 s: no heartbeat for HeartbeatSeconds (States.Timeout), retried elsewhere") {
    const auto run = runner_testing::run(
        callback_spec("runner: callback pause",
                      injectors::pause(3s).on_task_started("Work").after(200ms).at_most(1)),
        kCallbackFleet, runs.path());
    INFO(run.summary());
    CHECK(run.result.passed);
    check_recovered(run, history::FaultKind::kPause, "States.Timeout");
  }
}

}  // namespace loveless::scenario::runner_testing
