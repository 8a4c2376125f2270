// The whole aws stack end to end: `run_scenario` on `make_aws_scenario_stack`
// with Step Functions = our engine in process (signed requests, as to AWS)
// and ECS, Lambda, FIS and CloudWatch = the FAKE AWS control plane, both on
// 127.0.0.1; every endpoint is set explicitly, so no real AWS endpoint is
// ever addressed. The fake's ECS tasks are only records; here each RUNNING
// task gets a real worker process (runner-test-worker) named after the task
// id, killed when the fake stops its task, so the workflow's activity tasks
// really run, really die with their task and are really retried.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/injectors/injector.hpp"
#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/aws/arn.hpp"
#include "loveless/stacks/aws/aws_scenario_stack.hpp"

#include "aws_test_support.hpp"
#include <unistd.h>

namespace {

using namespace loveless;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using loveless::testing::eventually;
using loveless::testing::FakeAwsControlPlane;
using loveless::testing::FakeAwsOptions;
using loveless::testing::TaskProcesses;

constexpr const char* kExecutionRole = "arn:aws:iam::123456789012:role/loveless-run";
constexpr const char* kAlarm = "loveless-test-errors";

// One activity task, heartbeating (the worker every 200 ms), retried when its
// worker dies (no heartbeat within a second: States.Timeout).
constexpr const char* kWorkflow = R"({
  "StartAt": "Work", "TimeoutSeconds": 60,
  "States": {"Work": {"Type": "Task", "Resource": "${WorkActivityArn}",
    "HeartbeatSeconds": 1, "TimeoutSeconds": 20,
    "Retry": [{"ErrorEquals": ["States.Timeout", "States.TaskFailed"],
               "IntervalSeconds": 1, "BackoffRate": 1, "MaxAttempts": 5}],
    "End": true}}})";

// The same task, then a Fail state: every execution fails.
constexpr const char* kFailingWorkflow = R"({
  "StartAt": "Work", "TimeoutSeconds": 60,
  "States": {"Work": {"Type": "Task", "Resource": "${WorkActivityArn}",
    "HeartbeatSeconds": 1, "TimeoutSeconds": 20, "Next": "Boom"},
    "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "fails on purpose"}}})";

FakeAwsOptions fake_options() {
  FakeAwsOptions options;
  options.replacement_delay = 100ms;
  options.lambda_update_time = 50ms;
  options.experiment_transition_time = 30ms;
  return options;
}

/// The fake, the engine, one ECS service of `tasks` tasks whose workers poll
/// the activity `work` on the engine, and a run directory.
class AwsRun {
 public:
  explicit AwsRun(int tasks)
      : service_arn(fake.add_ecs_service("chaos", "workers", tasks)),
        activity_arn(engine.client(fake.credentials())
                         .call("CreateActivity", {{"name", "work"}})["activityArn"]
                         .get<std::string>()),
        root(std::filesystem::temp_directory_path() /
             ("loveless-awsstack-" + std::to_string(::getpid()) + "-" + std::to_string(++runs_))),
        processes(std::make_unique<TaskProcesses>(fake, "chaos", "workers", engine.url(),
                                                  activity_arn, root / "scratch")) {}
  ~AwsRun() {
    processes->stop();
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
  AwsRun(const AwsRun&) = delete;
  AwsRun& operator=(const AwsRun&) = delete;

  [[nodiscard]] scenario::AwsStackOptions stack_options() {
    scenario::AwsStackOptions options;
    options.run_id = "awsstack-" + std::to_string(runs_);
    options.runs_root = root / "runs";
    options.region = "us-east-1";
    options.profile = "loveless-none";
    options.credentials = aws::static_credentials(fake.credentials());
    options.endpoints = {engine.url(), fake.endpoint(), fake.endpoint(), fake.endpoint(),
                         fake.endpoint()};
    options.log = &log;
    options.ecs_poll_interval = 50ms;
    options.history_poll_interval = 50ms;
    options.steady_state_timeout = 5s;
    return options;
  }

  /// A scenario on the pool `work` bound to the service, `count` executions
  /// per phase, each task taking `sleep_ms`.
  [[nodiscard]] scenario::ScenarioSpec spec(const std::string& definition, int count,
                                            int sleep_ms = 300) const {
    scenario::ScenarioSpec spec;
    spec.name = "aws stack end to end";
    scenario::Scenario s(spec);
    auto workflow = s.workflow_text("work", definition);
    workflow.bind("WorkActivityArn", scenario::activity_arn("work"));
    s.activity_pool("work").command("runner-test-worker echo");
    std::vector<nlohmann::json> inputs;
    for (int i = 0; i < count; ++i) {
      inputs.push_back({{"id", "input-" + std::to_string(i)}, {"sleep_ms", sleep_ms}});
    }
    s.executions(workflow).count(count).concurrency(3).inputs(inputs);
    s.check(checks::all_executions_succeed());
    s.deadline(60s);
    s.aws().ecs_service("work", service_arn, activity_arn).execution_role(kExecutionRole);
    return spec;
  }

  FakeAwsControlPlane fake{fake_options()};
  testing::EngineUnderTest engine;
  std::string service_arn;
  std::string activity_arn;
  std::filesystem::path root;
  std::unique_ptr<TaskProcesses> processes;
  std::ostringstream log;

 private:
  static inline int runs_ = 0;
};

scenario::RunResult run(const scenario::ScenarioSpec& spec, AwsRun& aws,
                        history::RunObserver* observer = nullptr) {
  auto stack = scenario::make_aws_scenario_stack(spec, aws.stack_options());
  scenario::RunOptions options;
  options.seed = 3;
  options.observer = observer;
  return scenario::run_scenario(spec, *stack, options);
}

const checks::Verdict* verdict(const scenario::RunResult& result, const std::string& check) {
  for (const auto& verdict : result.verdicts) {
    if (verdict.check == check) return &verdict;
  }
  return nullptr;
}

std::string describe(const scenario::RunResult& result) {
  std::string text;
  for (const auto& verdict : result.verdicts) {
    text += verdict.check + ": " + verdict.summary + "\n";
  }
  for (const auto& execution : result.history.executions) {
    text += std::string(history::to_string(execution.phase)) + " " + execution.name + " " +
            execution.status + " " + execution.error + "\n";
  }
  for (const auto& fault : result.history.faults) {
    text += "fault " + std::string(history::to_string(fault.kind)) + " on " + fault.worker +
            (fault.applied_ok ? "" : " failed: " + fault.error) + "\n";
  }
  return text;
}

/// Sets the alarm to ALARM when the chaos phase starts.
class AlarmInChaos : public history::RunObserver {
 public:
  explicit AlarmInChaos(FakeAwsControlPlane& fake) : fake_(fake) {}
  void phase_started(history::Phase phase) override {
    if (phase == history::Phase::kChaos) fake_.set_alarm_state(kAlarm, "ALARM");
  }

 private:
  FakeAwsControlPlane& fake_;
};

}  // namespace

TEST_CASE("the aws stack kills ECS tasks on task start and every execution still succeeds",
          "[aws][stack][e2e]") {
  AwsRun aws(2);
  // Long tasks: the aws stack hears of a start by polling the history, so
  // the kill lands while the task still runs.
  auto spec = aws.spec(kWorkflow, 3, 1500);
  spec.injectors.push_back(injectors::kill().on_task_started("work").at_most(2).spec());

  const auto result = run(spec, aws);
  INFO(describe(result));
  INFO(aws.log.str());
  const auto& history = result.history;
  CHECK(result.passed);
  REQUIRE(verdict(result, "all executions succeeded") != nullptr);
  CHECK(verdict(result, "all executions succeeded")->outcome == checks::Outcome::kPass);
  CHECK(history.stack == "aws");
  REQUIRE(history.executions.size() == 6);
  for (const auto& execution : history.executions) CHECK(execution.status == "SUCCEEDED");

  // Every fault is a kill of an ECS task, named by its task id.
  const auto started = aws.processes->started_task_ids();
  REQUIRE(history.faults.size() == 2);
  std::set<std::string> killed;
  for (const auto& fault : history.faults) {
    CHECK(fault.kind == history::FaultKind::kKill);
    CHECK(fault.applied_ok);
    CHECK(fault.pool == "work");
    CHECK(started.contains(fault.worker));
    killed.insert(fault.worker);
  }
  CHECK(killed.size() == 2);

  // The fake received StopTask for exactly those tasks, the run id in the reason.
  const auto stops = aws.fake.requests_for("StopTask");
  REQUIRE(stops.size() == 2);
  for (const auto& stop : stops) {
    CHECK(stop.status == 200);
    CHECK(killed.contains(stacks::aws::last_resource_part(stop.body["task"].get<std::string>())));
    CHECK_THAT(stop.body["reason"].get<std::string>(),
               Contains(history.run_id) && Contains("kill fault"));
  }

  // Tasks are attributed to task ids (ActivityStarted's workerName); killed
  // workers' tasks timed out and were retried elsewhere.
  REQUIRE_FALSE(history.tasks.empty());
  int timed_out = 0;
  for (const auto& task : history.tasks) {
    CHECK(task.pool == "work");
    CHECK(started.contains(task.worker));
    if (task.outcome == history::TaskOutcome::kTimedOut) {
      ++timed_out;
      CHECK(killed.contains(task.worker));
    }
  }
  CHECK(timed_out >= 1);

  // Each killed task was replaced by the service, and the replacement ran.
  std::set<std::string> replaced;
  for (const auto& event : history.worker_events) {
    if (event.kind != "replaced") continue;
    CHECK(killed.contains(event.worker));
    CHECK(started.contains(event.detail));
    CHECK_FALSE(killed.contains(event.detail));
    replaced.insert(event.worker);
  }
  CHECK(replaced == killed);

  // The processes are exactly the service's running tasks: the stopped
  // tasks' processes were killed during the run, and none is left after.
  CHECK(eventually([&] {
    std::set<std::string> running;
    for (const auto& arn : aws.fake.running_tasks("chaos", "workers")) {
      running.insert(stacks::aws::last_resource_part(arn));
    }
    return running == aws.processes->live_task_ids();
  }));
  for (const auto& process : aws.processes->processes()) {
    CHECK(process.killed_for_stop == killed.contains(process.task_id));
  }
  aws.processes->stop();
  for (const auto& process : aws.processes->processes()) {
    CHECK(process.reaped);
    CHECK(testing::process_gone(process.pid));
  }
  // Clean-up: the deployed state machine is gone again, the service steady.
  CHECK_THAT(aws.log.str(), Contains("aws clean-up: everything restored"));
  CHECK(aws.fake.running_tasks("chaos", "workers").size() == 2);
}

TEST_CASE("a CloudWatch alarm in ALARM during chaos aborts the aws run", "[aws][stack][stop]") {
  AwsRun aws(2);
  aws.fake.set_alarm_state(kAlarm, "OK");
  auto spec = aws.spec(kWorkflow, 4, 300);
  spec.aws.stop_conditions.alarms.push_back(kAlarm);
  spec.aws.stop_conditions.alarm_poll_interval = 50ms;
  spec.workload->concurrency = 1;
  AlarmInChaos observer(aws.fake);

  const auto result = run(spec, aws, &observer);
  INFO(describe(result));
  CHECK_FALSE(result.passed);
  const auto* stop = verdict(result, "stop conditions");
  REQUIRE(stop != nullptr);
  CHECK(stop->outcome == checks::Outcome::kFail);
  CHECK_THAT(stop->summary, Contains("aborted") && Contains(kAlarm) && Contains("ALARM"));
  CHECK(result.history.partial);
  // The control phase ran whole; the chaos phase stopped starting executions.
  int control = 0;
  int chaos = 0;
  for (const auto& execution : result.history.executions) {
    (execution.phase == history::Phase::kControl ? control : chaos) += 1;
    if (execution.phase == history::Phase::kControl) CHECK(execution.status == "SUCCEEDED");
  }
  CHECK(control == 4);
  CHECK(chaos < 4);
  CHECK(aws.fake.requests_for("DescribeAlarms").size() >= 2);
}

TEST_CASE("an alarm already in ALARM stops the aws run before any execution",
          "[aws][stack][stop]") {
  AwsRun aws(1);
  aws.fake.set_alarm_state(kAlarm, "ALARM");
  auto spec = aws.spec(kWorkflow, 2);
  spec.aws.stop_conditions.alarms.push_back(kAlarm);

  const auto result = run(spec, aws);
  INFO(describe(result));
  CHECK_FALSE(result.passed);
  const auto* stop = verdict(result, "stop conditions");
  REQUIRE(stop != nullptr);
  CHECK(stop->outcome == checks::Outcome::kFail);
  CHECK_THAT(stop->summary, Contains(kAlarm));
  CHECK(result.history.executions.empty());
  CHECK(aws.fake.requests_for("StopTask").empty());
}

TEST_CASE("an unknown stop-condition alarm makes the aws stack unavailable", "[aws][stack][stop]") {
  AwsRun aws(1);
  auto spec = aws.spec(kWorkflow, 1);
  spec.aws.stop_conditions.alarms.push_back("no-such-alarm");

  auto stack = scenario::make_aws_scenario_stack(spec, aws.stack_options());
  CHECK_THROWS_AS(stack->up(), scenario::StackUnavailable);
  stack->down();
  auto again = scenario::make_aws_scenario_stack(spec, aws.stack_options());
  CHECK_THROWS_WITH(scenario::run_scenario(spec, *again, {}),
                    Contains("no-such-alarm") && Contains("does not exist"));
  CHECK(aws.fake.requests_for("StopTask").empty());
  CHECK(aws.fake.requests_for("UpdateFunctionConfiguration").empty());
}

TEST_CASE("a failure rate above the stop condition aborts the aws run", "[aws][stack][stop]") {
  AwsRun aws(1);
  auto spec = aws.spec(kFailingWorkflow, 6, 50);
  spec.workload->concurrency = 1;
  scenario::Scenario(spec).aws().stop_above_failure_rate(0.5, 2);

  const auto result = run(spec, aws);
  INFO(describe(result));
  CHECK_FALSE(result.passed);
  const auto* stop = verdict(result, "stop conditions");
  REQUIRE(stop != nullptr);
  CHECK(stop->outcome == checks::Outcome::kFail);
  CHECK_THAT(stop->summary, Contains("2 of 2 closed executions failed"));
  CHECK(result.history.partial);
  // Stopped in the control phase: no chaos phase, and not every input started.
  CHECK(result.history.phases.size() == 1);
  CHECK(result.history.executions.size() < 6);
  for (const auto& execution : result.history.executions) {
    if (execution.status != "RUNNING") CHECK(execution.status == "FAILED");
  }
}

TEST_CASE("after an aws run the Lambda variables are the originals and FIS templates are gone",
          "[aws][stack][cleanup]") {
  AwsRun aws(1);
  const std::map<std::string, std::string> original = {{"TABLE", "orders"}};
  const auto function = aws.fake.add_lambda_function("merge", original);
  auto spec = aws.spec(kWorkflow, 2, 200);
  {
    scenario::Scenario s(spec);
    s.function_pool("fn").command("runner-test-worker echo");
    s.aws().lambda_function("fn", function).fis_role(testing::kFisRole);
    s.inject(injectors::restart().random_worker("fn").at(50ms));
    s.inject(injectors::latency(300ms, 200ms).random_worker("fn").at(100ms));
  }
  spec.workload->duration = 2500ms;

  const auto result = run(spec, aws);
  INFO(describe(result));
  INFO(aws.log.str());
  CHECK(result.passed);
  std::map<history::FaultKind, int> faults;
  for (const auto& fault : result.history.faults) {
    CHECK(fault.worker == "merge");
    CHECK(fault.pool == "fn");
    CHECK(fault.applied_ok);
    ++faults[fault.kind];
  }
  CHECK(faults[history::FaultKind::kRestart] == 1);
  CHECK(faults[history::FaultKind::kLatency] == 1);

  // The run recycled the environments (LOVELESS_RECYCLE) and put the
  // variables back; the restore was one more update.
  const auto updates = aws.fake.requests_for("UpdateFunctionConfiguration");
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].body["Environment"]["Variables"]["LOVELESS_RECYCLE"] ==
        result.history.run_id + "-1");
  CHECK(updates[0].body["Environment"]["Variables"]["TABLE"] == "orders");
  CHECK(aws.fake.lambda_environment("merge") == original);
  CHECK(aws.fake.lambda_environment_generations("merge") == 2);

  // The latency was an FIS experiment, stopped when healed; its template is deleted.
  CHECK(aws.fake.requests_for("CreateExperimentTemplate").size() == 1);
  CHECK(aws.fake.requests_for("StopExperiment").size() == 1);
  CHECK(aws.fake.requests_for("DeleteExperimentTemplate").size() == 1);
  CHECK(aws.fake.experiment_template_count() == 0);
  CHECK_THAT(aws.log.str(), Contains("aws clean-up: everything restored"));
  std::set<std::string> kinds;
  for (const auto& event : result.history.worker_events) {
    if (event.worker == "merge") kinds.insert(event.kind);
  }
  CHECK(kinds == std::set<std::string>{"started", "restarted", "latency-set"});
}
