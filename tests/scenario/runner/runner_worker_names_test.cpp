// Workers with a workerName of their own on the process fleet: faults reach
// them through their connection (directly and through latency routes), and
// a worker the fleet cannot recognise is reported before the chaos phase.
#include <catch2/catch.hpp>

#include "runner_test_support.hpp"
#include "support/temp_dir.hpp"

namespace loveless::scenario::runner_testing {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)
using loveless::testing::TempDir;

const Fleet kProcessFleet{"process", {}};

}  // namespace

TEST_CASE("runner: a worker polling with its own workerName is killed on task started",
          "[runner][worker-name][kill]") {
  check_kill_reaches_worker_with_own_name(kProcessFleet);
}

TEST_CASE("runner: latency reaches a worker polling with its own workerName through its route",
          "[runner][worker-name][latency]") {
  const TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 200;
  setup.work_environment = {{"RUNNER_TEST_WORKER_NAME_PREFIX", "vm"}};
  setup.injectors = {injectors::latency(50ms, 300ms).on_task_started("Work").at_most(1)};
  const auto run = runner_testing::run(make_spec("runner: latency, own workerName", setup),
                                       kProcessFleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);
  REQUIRE(history.faults.size() == 1);
  CHECK(history.faults.front().applied_ok);
  CHECK(history.faults.front().worker == "work-1");
  for (const auto* task : tasks_in(history, Phase::kChaos, "Work")) CHECK(task->worker == "work-1");
  CHECK(run.log.find("warning: pool work") == std::string::npos);
}

TEST_CASE("runner: a worker no fleet worker owns is reported before the chaos phase",
          "[runner][worker-name][warning]") {
  const TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 100;
  // The polling process leaves its worker's process group: on the process
  // fleet nothing ties its connection to a worker, and its name is no id.
  setup.work_environment = {{"RUNNER_TEST_WORKER_NAME_PREFIX", "stray"},
                            {"RUNNER_TEST_DETACHED", "1"}};
  const auto run =
      runner_testing::run(make_spec("runner: unmapped worker", setup), kProcessFleet, runs.path());
  INFO(run.summary());
  const auto warning = run.log.find("warning: pool work: 2 tasks taken with workerName \"stray-");
  REQUIRE(warning != std::string::npos);
  CHECK(warning < run.log.find("chaos phase"));
  CHECK(run.log.find("no fleet worker owns", warning) != std::string::npos);
  // Said once for that name, though the chaos phase took more tasks under it.
  CHECK(run.log.find("warning: pool work", warning + 1) == std::string::npos);
  for (const auto* task : tasks_in(run.history(), Phase::kControl, "Work")) {
    CHECK(task->worker.starts_with("stray-"));
  }
  CHECK(run.log.find("note: worker") == std::string::npos);
}

}  // namespace loveless::scenario::runner_testing
