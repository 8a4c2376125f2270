// The fixture suite of suite_process_test.cpp: one small scenario per outcome
// of the suite main (docs/scenarios.md, "Running a suite"). Each runs a
// one-state workflow whose only task is served by suite-test-worker, which
// echoes its input after `sleep_ms`. The tests select them by tag.
#include <cstdlib>
#include <map>
#include <string>

#include <loveless/loveless.hpp>

namespace {

using loveless::scenario::Scenario;
using loveless::scenario::WorkflowBuilder;

constexpr const char* kEchoWorkflow = R"({
  "StartAt": "Echo",
  "States": {
    "Echo": {"Type": "Task", "Resource": "${EchoActivityArn}", "TimeoutSeconds": 300, "End": true}
  }
})";

/// The echo workflow, its pool of one worker (with `env` besides) and
/// `count` executions of `input` per phase.
WorkflowBuilder echo_workload(Scenario& s, const nlohmann::json& input, int count = 1,
                              const std::map<std::string, std::string>& env = {}) {
  auto wf = s.workflow_text("echo", kEchoWorkflow)
                .bind("EchoActivityArn", loveless::scenario::activity_arn("echo"));
  // The image is only named: the docker tests point DOCKER_HOST at no engine.
  auto pool =
      s.activity_pool("echo").command("suite-test-worker echo").image("loveless/suite-test-worker");
  for (const auto& [name, value] : env) pool.env(name, value);
  s.executions(wf).count(count).concurrency(2).input(input);
  s.deadline(std::chrono::minutes(2));
  return wf;
}

}  // namespace

LOVELESS_SCENARIO("suite test: echo passes", "[suite-test][pass]") {
  echo_workload(s, {{"name", "ok"}, {"sleep_ms", 50}});
  s.check(all_executions_succeed());
  s.check(outputs_match_control());
}

LOVELESS_SCENARIO("suite test: a task fails", "[suite-test][fail]") {
  echo_workload(s, {{"name", "broken"}, {"fail", true}});
  s.check(all_executions_succeed());
}

// [!shouldfail] inverted: a check fails, so the scenario passes...
LOVELESS_SCENARIO("suite test: flawed echo caught", "[suite-test][!shouldfail][caught]") {
  echo_workload(s, {{"name", "broken"}, {"fail", true}});
  s.check(all_executions_succeed());
}

// ... and every check passes, so the scenario fails.
LOVELESS_SCENARIO("suite test: flawed echo missed", "[suite-test][!shouldfail][missed]") {
  echo_workload(s, {{"name", "ok"}, {"sleep_ms", 50}});
  s.check(all_executions_succeed());
}

// Invalid: a trigger names no pool and no state (exit 2, nothing started).
LOVELESS_SCENARIO("suite test: trigger names an unknown pool",
                  "[suite-test][invalid][unknown-pool]") {
  echo_workload(s, {{"name", "ok"}});
  s.inject(kill().on_task_started("no-such-pool"));
  s.check(all_executions_succeed());
}

// Invalid: the workflow file does not exist beside this file.
LOVELESS_SCENARIO("suite test: workflow file missing", "[suite-test][invalid][missing-file]") {
  auto wf = s.workflow("echo", "no-such-workflow.asl.json")
                .bind("EchoActivityArn", loveless::scenario::activity_arn("echo"));
  s.activity_pool("echo").command("suite-test-worker echo");
  s.executions(wf).count(1).input(nlohmann::json{{"name", "ok"}});
  s.check(all_executions_succeed());
}

// Long: the control phase's task sleeps ten minutes, far past any test's
// patience, so only SIGINT (or the deadline) ends the run.
LOVELESS_SCENARIO("suite test: a long task", "[suite-test][long]") {
  echo_workload(s, {{"name", "long"}, {"sleep_ms", 600'000}});
  s.deadline(std::chrono::minutes(5));
  s.check(all_executions_succeed());
}

// Invalid: the definition file is JSON, but `/States/Work/Next` names no state.
LOVELESS_SCENARIO("suite test: workflow names a missing state", "[suite-test][invalid][bad-asl]") {
  auto wf = s.workflow("echo", "workflows/next-nowhere.asl.json")
                .bind("EchoActivityArn", loveless::scenario::activity_arn("echo"));
  s.activity_pool("echo").command("suite-test-worker echo");
  s.executions(wf).count(1).input(nlohmann::json{{"name", "ok"}});
  s.check(all_executions_succeed());
}

// Invalid: the definition file is not JSON (a comma missing on line 4).
LOVELESS_SCENARIO("suite test: workflow file is not JSON", "[suite-test][invalid][bad-json]") {
  auto wf = s.workflow("echo", "workflows/missing-comma.asl.json")
                .bind("EchoActivityArn", loveless::scenario::activity_arn("echo"));
  s.activity_pool("echo").command("suite-test-worker echo");
  s.executions(wf).count(1).input(nlohmann::json{{"name", "ok"}});
  s.check(all_executions_succeed());
}

// Invalid when LOVELESS_TEST_INPUTS names an empty directory (the test makes one).
LOVELESS_SCENARIO("suite test: inputs from an empty directory",
                  "[suite-test][invalid][empty-inputs]") {
  const char* inputs = std::getenv("LOVELESS_TEST_INPUTS");
  auto wf = s.workflow_text("echo", kEchoWorkflow)
                .bind("EchoActivityArn", loveless::scenario::activity_arn("echo"));
  s.activity_pool("echo").command("suite-test-worker echo");
  s.executions(wf).count(1).inputs_from_dir(inputs == nullptr ? "/nonexistent" : inputs);
  s.check(all_executions_succeed());
}

// Long, and its worker forks a child that outlives the runner's SIGKILL
// (suite_process_test: the next run sweeps it).
LOVELESS_SCENARIO("suite test: a long task whose worker forks", "[suite-test][long-forking]") {
  echo_workload(s, {{"name", "long"}, {"sleep_ms", 600'000}}, 1, {{"SUITE_TEST_WORKER_FORK", "1"}});
  s.deadline(std::chrono::minutes(5));
  s.check(all_executions_succeed());
}

// Its worker exits 3 at start, every time: the run fails early, naming the
// pool, the exit status, the worker's stderr and its log.
LOVELESS_SCENARIO("suite test: a worker that cannot start", "[suite-test][crash-loop]") {
  echo_workload(s, {{"name", "ok"}}, 1, {{"SUITE_TEST_WORKER_CRASH", "1"}});
  s.check(all_executions_succeed());
}
