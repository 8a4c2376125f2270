// RunObserver (loveless/history/run_observer.hpp) on a real run: a worker
// killed mid-task on the process fleet; every hook the runner called agrees
// with the history the run returned (the history stays the source of truth).
#include "loveless/history/run_observer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "runner_test_support.hpp"
#include "support/temp_dir.hpp"

namespace loveless::scenario::runner_testing {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)
using loveless::testing::TempDir;

/// Everything the hooks heard, under a lock (they come from several threads).
class RecordingObserver final : public RunObserver {
 public:
  void phase_started(Phase phase) override { note("started " + std::string(to_string(phase))); }
  void phase_ended(Phase phase) override { note("ended " + std::string(to_string(phase))); }
  void execution_closed(const ExecutionClosed& execution) override {
    std::lock_guard lock(mutex_);
    executions.push_back(execution);
  }
  void task_attempt_ended(const TaskAttemptEnded& task) override {
    std::lock_guard lock(mutex_);
    tasks.push_back(task);
  }
  void fault_applied(const FaultRecord& fault) override {
    std::lock_guard lock(mutex_);
    faults.push_back(fault);
  }

  std::vector<std::string> phases;
  std::vector<ExecutionClosed> executions;
  std::vector<TaskAttemptEnded> tasks;
  std::vector<FaultRecord> faults;

 private:
  void note(std::string what) {
    std::lock_guard lock(mutex_);
    phases.push_back(std::move(what));
  }
  std::mutex mutex_;
};

/// An observer whose every hook throws: the run must not notice.
class ThrowingObserver final : public RunObserver {
 public:
  void phase_started(Phase /*phase*/) override { throw std::runtime_error("phase"); }
  void execution_closed(const ExecutionClosed& /*execution*/) override {
    throw std::runtime_error("execution");
  }
  void task_attempt_ended(const TaskAttemptEnded& /*task*/) override {
    throw std::runtime_error("task");
  }
  void fault_applied(const FaultRecord& /*fault*/) override { throw std::runtime_error("fault"); }
};

Setup killed_mid_task() {
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 400;
  setup.injectors = {injectors::kill().on_task_started("Work").after(100ms).at_most(1)};
  return setup;
}

}  // namespace

TEST_CASE("run observer: the hooks report the phases executions tasks and faults of the history",
          "[runner][process][observer]") {
  const TempDir runs;
  RecordingObserver observer;
  const auto run = runner_testing::run(make_spec("runner: observed kill", killed_mid_task()),
                                       {"process", {}}, runs.path(), 1, &observer);
  const auto& history = run.history();
  INFO(run.summary());
  REQUIRE(run.result.passed);

  CHECK(observer.phases == std::vector<std::string>{"started control", "ended control",
                                                    "started chaos", "ended chaos"});

  REQUIRE(observer.faults.size() == history.faults.size());
  REQUIRE(history.faults.size() == 1);
  CHECK(observer.faults[0].id == history.faults[0].id);
  CHECK(observer.faults[0].kind == FaultKind::kKill);
  CHECK(observer.faults[0].worker == history.faults[0].worker);

  REQUIRE(observer.executions.size() == history.executions.size());
  for (const auto& execution : history.executions) {
    INFO(execution.name);
    const auto heard =
        std::find_if(observer.executions.begin(), observer.executions.end(),
                     [&](const auto& e) { return e.execution_arn == execution.arn; });
    REQUIRE(heard != observer.executions.end());
    CHECK(heard->phase == execution.phase);
    CHECK(heard->status == execution.status);
    REQUIRE(heard->duration);
    REQUIRE(execution.duration());
    CHECK(std::abs((*heard->duration - *execution.duration()).count()) <= 50);
  }

  std::size_t ended = 0;
  std::size_t retries = 0;
  for (const auto& task : history.tasks) {
    if (task.outcome == TaskOutcome::kOpen) continue;
    ++ended;
    INFO(task.state_name << " of " << task.execution_arn << " on " << task.worker);
    const auto heard =
        std::find_if(observer.tasks.begin(), observer.tasks.end(), [&](const auto& t) {
          return t.execution_arn == task.execution_arn &&
                 t.scheduled_event_id == task.scheduled_event_id;
        });
    REQUIRE(heard != observer.tasks.end());
    CHECK(heard->phase == task.phase);
    CHECK(heard->state_name == task.state_name);
    CHECK(heard->pool == task.pool);
    CHECK(heard->worker == task.worker);
    CHECK(heard->outcome == task.outcome);
    // one_task.asl.json: a state's second attempt in an execution is its Retry.
    const auto attempts = tasks_of(history, task.execution_arn, task.state_name);
    const bool retry = attempts.front()->scheduled_event_id != task.scheduled_event_id;
    CHECK(heard->retry == retry);
    retries += retry ? 1 : 0;
  }
  CHECK(observer.tasks.size() == ended);
  CHECK(retries >= 1);
}

TEST_CASE("run observer: an observer that throws changes nothing in the run",
          "[runner][process][observer]") {
  const TempDir runs;
  ThrowingObserver observer;
  const auto run = runner_testing::run(make_spec("runner: throwing observer", killed_mid_task()),
                                       {"process", {}}, runs.path(), 1, &observer);
  INFO(run.summary());
  CHECK(run.result.passed);
  CHECK(run.history().faults.size() == 1);
  CHECK(run.history().executions.size() == 4);
}

}  // namespace loveless::scenario::runner_testing
