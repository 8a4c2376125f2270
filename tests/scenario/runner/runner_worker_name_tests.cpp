// Workers that poll with a workerName of their own (an AWS SDK's
// `hostname-pid`), shared by the process and the docker tests: faults still
// reach the fleet worker that took the task, and tasks are attributed to it.
#include <catch2/catch.hpp>

#include "runner_test_support.hpp"
#include "support/temp_dir.hpp"

namespace loveless::scenario::runner_testing {

void check_kill_reaches_worker_with_own_name(const Fleet& fleet) {
  using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)
  const loveless::testing::TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 400;
  setup.work_environment = {{"RUNNER_TEST_WORKER_NAME_PREFIX", "vm"}};
  setup.injectors = {injectors::kill().on_task_started("Work").after(100ms).at_most(1)};
  const auto run =
      runner_testing::run(make_spec("runner: kill, own workerName", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);

  // The workers really polled with names of their own.
  std::set<std::string> worker_names;
  for (const auto& execution : history.executions) {
    for (const auto& event : execution.events) {
      if (event.value("type", "") != "ActivityStarted") continue;
      worker_names.insert(event["activityStartedEventDetails"].value("workerName", ""));
    }
  }
  REQUIRE_FALSE(worker_names.empty());
  for (const auto& name : worker_names) CHECK(name.starts_with("vm-"));

  REQUIRE(history.faults.size() == 1);
  const auto& fault = history.faults.front();
  CHECK(fault.kind == FaultKind::kKill);
  CHECK(fault.applied_ok);
  CHECK(fault.error.empty());
  CHECK(fault.worker.starts_with("work-"));
  CHECK(events_of(history, "killed", fault.worker).size() == 1);

  // Every task is attributed to a fleet worker; the killed one's to it.
  const auto fleet_workers = started_workers(history, "work");
  for (const auto* task : tasks_in(history, Phase::kControl, "Work")) {
    CHECK(fleet_workers.contains(task->worker));
  }
  for (const auto* task : tasks_in(history, Phase::kChaos, "Work")) {
    CHECK(fleet_workers.contains(task->worker));
  }
  const auto tasks = tasks_of(history, fault.execution_arn, "Work");
  REQUIRE(tasks.size() >= 2);
  CHECK(tasks.front()->worker == fault.worker);
  CHECK(tasks.front()->outcome == TaskOutcome::kTimedOut);
  CHECK(tasks.back()->outcome == TaskOutcome::kSucceeded);
  CHECK(tasks.back()->worker != fault.worker);

  // One note per worker, before the chaos phase for the first one; no warning.
  CHECK(run.log.find("warning: pool work") == std::string::npos);
  const auto note = run.log.find("note: worker work-1 (pool work) polls with workerName \"vm-");
  CHECK(note != std::string::npos);
  CHECK(note < run.log.find("chaos phase"));
  CHECK(run.log.find("note: worker work-1 ", note + 1) == std::string::npos);
}

}  // namespace loveless::scenario::runner_testing
