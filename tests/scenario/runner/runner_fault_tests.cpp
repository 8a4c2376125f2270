// One test per fault, through the real runner on a real fleet: what the fault
// log, the pool events, the tasks and the scratch directories must show.
// Shared by the process tests and the docker tests (same assertions on both
// fleets).
#include <algorithm>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/stacks/process_fleet.hpp"

#include "runner_test_support.hpp"
#include "support/temp_dir.hpp"

namespace loveless::scenario::runner_testing {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)
using loveless::testing::TempDir;

// Timestamps of the execution history have millisecond precision and the
// scratch audit's lag behind the access (docs/injectors.md): comparisons of
// them with the runner's clock readings allow this much.
constexpr Ms kSlack{50};

const WorkerEvent& only_event(const History& history, std::string_view kind,
                              const std::string& worker) {
  const auto found = events_of(history, kind, worker);
  INFO("worker events `" << kind << "` of " << worker);
  REQUIRE(found.size() == 1);
  return *found.front();
}

// The single fault of a run with one `at_most(1)` injector, checked for kind,
// success, pool and the chaos phase.
const FaultRecord& only_fault(const History& history, FaultKind kind) {
  REQUIRE(history.faults.size() == 1);
  const auto& fault = history.faults.front();
  CHECK(fault.kind == kind);
  CHECK(fault.applied_ok);
  CHECK(fault.error.empty());
  CHECK(fault.pool == "work");
  CHECK(fault.triggered >= window(history, Phase::kChaos).start);
  return fault;
}

// The task the fault hit (the first Work task of the fault's execution, on
// the fault's worker) and the attempt that finally succeeded.
struct Disrupted {
  const TaskRecord* hit = nullptr;
  const TaskRecord* recovered = nullptr;
};

Disrupted disrupted_by(const History& history, const FaultRecord& fault) {
  const auto tasks = tasks_of(history, fault.execution_arn, "Work");
  REQUIRE(tasks.size() >= 2);
  Disrupted found{tasks.front(), tasks.back()};
  CHECK(found.hit->worker == fault.worker);
  CHECK(found.recovered->outcome == TaskOutcome::kSucceeded);
  REQUIRE(found.hit->started.has_value());
  REQUIRE(found.hit->ended.has_value());
  REQUIRE(found.recovered->started.has_value());
  return found;
}

// The pool replaced `worker` with a new worker of its own; returns its id.
// `started`: the replacement has started too (a replacement that is still
// launching when the last execution ends has no `started` event in the
// history, which is collected before the stack comes down).
std::string replacement_of(const History& history, const std::string& worker, bool started = true) {
  const auto& replaced = only_event(history, "replaced", worker);
  CHECK(replaced.detail != worker);
  CHECK(replaced.detail.starts_with("work-"));
  CHECK(replaced.pool == "work");
  if (started) CHECK(started_workers(history, "work").contains(replaced.detail));
  return replaced.detail;
}

}  // namespace

void check_kill(const Fleet& fleet) {
  const TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 400;
  setup.injectors = {injectors::kill().on_task_started("Work").after(100ms).at_most(1)};
  const auto run = runner_testing::run(make_spec("runner: kill", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);

  const auto& fault = only_fault(history, FaultKind::kKill);
  CHECK(fault.state_name == "Work");
  CHECK(since(fault.triggered, fault.applied) >= 100ms);
  const auto& killed = only_event(history, "killed", fault.worker);
  CHECK(killed.at >= fault.triggered);
  // Applied when the kill went out; the fleet records it while the call runs.
  CHECK(fault.applied <= killed.at);
  CHECK(only_event(history, "died", fault.worker).at >= fault.triggered);
  const auto replacement = replacement_of(history, fault.worker);

  // Killed mid-task: no heartbeat, so Step Functions timed the task out
  // (HeartbeatSeconds 1) and the retry ran on the replacement.
  const auto task = disrupted_by(history, fault);
  CHECK(task.hit->outcome == TaskOutcome::kTimedOut);
  CHECK(task.hit->error == "States.Timeout");
  CHECK(*task.hit->started <= fault.applied);
  CHECK(task.recovered->worker == replacement);
}

void check_stop(const Fleet& fleet) {
  const TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 800;
  setup.injectors = {injectors::stop(2s).on_task_started("Work").after(100ms).at_most(1)};
  const auto run = runner_testing::run(make_spec("runner: stop", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);

  const auto& fault = only_fault(history, FaultKind::kStop);
  CHECK(fault.state_name == "Work");
  CHECK(only_event(history, "stopped", fault.worker).at >= fault.triggered);
  const auto& died = only_event(history, "died", fault.worker);
  // SIGTERM: the worker SDK failed the task and exited by itself, well before
  // the 2 s grace would have ended in SIGKILL.
  CHECK(died.detail.find("exit 0") != std::string::npos);
  CHECK(since(fault.applied, died.at) < 1500ms);
  const auto replacement = replacement_of(history, fault.worker);

  const auto task = disrupted_by(history, fault);
  CHECK(task.hit->outcome == TaskOutcome::kFailed);
  CHECK(task.hit->error == "Worker.Terminated");
  CHECK(since(fault.applied, *task.hit->ended) < 1500ms);
  CHECK(task.recovered->worker == replacement);
}

void check_restart(const Fleet& fleet) {
  const TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 800;
  setup.injectors = {injectors::restart(2s).on_task_started("Work").after(100ms).at_most(1)};
  const auto run = runner_testing::run(make_spec("runner: restart", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);

  const auto& fault = only_fault(history, FaultKind::kRestart);
  const auto& restarted = only_event(history, "restarted", fault.worker);
  CHECK(restarted.at >= fault.triggered);
  CHECK(only_event(history, "died", fault.worker).at <= restarted.at);
  // Same id, same scratch: the pool never replaced it nor started another.
  CHECK(events_of(history, "replaced").empty());
  CHECK(started_workers(history, "work") == std::set<std::string>{fault.worker});

  const auto task = disrupted_by(history, fault);
  CHECK(task.hit->outcome == TaskOutcome::kFailed);
  CHECK(task.hit->error == "Worker.Terminated");
  CHECK(task.recovered->worker == fault.worker);
  CHECK(*task.recovered->started + kSlack >= restarted.at);
}

void check_pause_resumed_after_its_duration(const Fleet& fleet) {
  const TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 200;
  // Shorter than HeartbeatSeconds (1 s): the task survives, only late.
  setup.injectors = {injectors::pause(400ms).on_task_started("Work").after(50ms).at_most(1)};
  const auto run = runner_testing::run(make_spec("runner: short pause", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);

  const auto& fault = only_fault(history, FaultKind::kPause);
  CHECK(fault.duration == 400ms);
  const auto& paused = only_event(history, "paused", fault.worker);
  const auto& resumed = only_event(history, "resumed", fault.worker);
  CHECK(paused.at >= fault.triggered);
  CHECK(resumed.at >= fault.applied + 400ms);
  CHECK(since(paused.at, resumed.at) >= 400ms);
  CHECK(since(paused.at, resumed.at) < 400ms + 1000ms);
  // Resumed by its own timer, before the chaos phase ended and healed.
  CHECK(resumed.at < window(history, Phase::kChaos).end);

  // The task it froze took the pause longer than its 200 ms, and succeeded
  // on the same worker at the first attempt.
  const auto tasks = tasks_of(history, fault.execution_arn, "Work");
  REQUIRE(tasks.size() == 1);
  CHECK(tasks.front()->worker == fault.worker);
  CHECK(tasks.front()->outcome == TaskOutcome::kSucceeded);
  REQUIRE(tasks.front()->ended.has_value());
  CHECK(since(*tasks.front()->started, *tasks.front()->ended) >= 400ms);
  CHECK(events_of(history, "replaced").empty());
}

void check_pause_resumed_at_heal(const Fleet& fleet) {
  const TempDir runs;
  Setup setup;
  setup.replicas = 2;
  setup.executions = 3;
  setup.concurrency = 2;
  setup.sleep_ms = 300;
  // Far longer than the chaos phase: only the heal can resume it.
  setup.injectors = {injectors::pause(30s).random_worker("work").at(100ms)};
  const auto run =
      runner_testing::run(make_spec("runner: pause until healed", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);

  const auto& fault = only_fault(history, FaultKind::kPause);
  CHECK(fault.duration == 30s);
  const auto& paused = only_event(history, "paused", fault.worker);
  const auto& resumed = only_event(history, "resumed", fault.worker);
  CHECK(since(paused.at, resumed.at) < 15s);
  // The heal comes after the last chaos execution ended, within the phase.
  TimePoint last_stop{};
  for (const auto* execution : history.executions_in(Phase::kChaos)) {
    REQUIRE(execution->stop.has_value());
    last_stop = std::max(last_stop, *execution->stop);
  }
  CHECK(resumed.at + kSlack >= last_stop);
  CHECK(resumed.at <= window(history, Phase::kChaos).end);
  // Frozen, it completed nothing meanwhile (a task the engine handed to its
  // pending poll timed out and ran elsewhere).
  for (const auto* task : tasks_in(history, Phase::kChaos, "Work")) {
    if (task->worker != fault.worker || !task->started) continue;
    if (*task->started > paused.at && *task->started < resumed.at) {
      CHECK(task->outcome != TaskOutcome::kSucceeded);
    }
  }
}

void check_wipe_scratch(const Fleet& fleet) {
  const TempDir runs;
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 300;
  // Mid-way through the first chaos task, whose file is written at its start.
  setup.injectors = {injectors::wipe_scratch().pool("work").at(150ms)};
  const auto run =
      runner_testing::run(make_spec("runner: wipe scratch", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);
  REQUIRE(history.scratch_audited);

  const auto& fault = only_fault(history, FaultKind::kWipeScratch);
  CHECK(fault.triggered == window(history, Phase::kChaos).start + 150ms);
  CHECK(only_event(history, "scratch-wiped", fault.worker).at >= fault.triggered);

  // Files the worker wrote before the wipe (two control tasks, the first
  // chaos task) are gone; the file of the task after it is still there.
  std::set<std::string> before;
  std::set<std::string> after;
  std::set<std::string> deleted;
  for (const auto& access : history.scratch_accesses) {
    if (access.worker != fault.worker) continue;
    if (access.operation == ScratchOperation::kCreated) {
      if (access.at < fault.triggered) before.insert(access.path);
      if (access.at > fault.applied + kSlack) after.insert(access.path);
    }
    if (access.operation == ScratchOperation::kDeleted) {
      CHECK(access.at + kSlack >= fault.triggered);
      CHECK(access.at <= fault.applied + kSlack);
      deleted.insert(access.path);
    }
  }
  CHECK(before.size() >= 3);
  CHECK(after.size() >= 1);
  CHECK(deleted == before);
  const auto left = files_in(run.run_dir / "scratch" / fault.worker);
  for (const auto& file : before) CHECK_FALSE(left.contains(file));
  for (const auto& file : after) CHECK(left.contains(file));

  // pool("work") spares the function's environments: their files stay.
  const auto environments = started_workers(history, "finish");
  REQUIRE_FALSE(environments.empty());
  for (const auto& environment : environments) {
    INFO(environment);
    CHECK(events_of(history, "scratch-wiped", environment).empty());
    CHECK_FALSE(files_in(run.run_dir / "scratch" / environment).empty());
  }
}

void check_disposable(const Fleet& fleet) {
  const TempDir runs;
  Setup setup;
  setup.replicas = 2;
  setup.executions = 3;
  setup.concurrency = 1;
  setup.sleep_ms = 200;
  setup.injectors = {injectors::disposable()};
  setup.checks = {checks::all_executions_succeed(), checks::outputs_match_control(),
                  checks::no_local_state_reliance()};
  const auto run = runner_testing::run(make_spec("runner: disposable", setup), fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(run.result.passed);
  CHECK(all_checks_pass(run.result));

  // 3 executions of 3 inputs would run no input twice warm: for the reliance
  // check the control phase ran each of them once more, on warm workers.
  std::map<std::size_t, int> control_runs;
  for (const auto* execution : history.executions_in(Phase::kControl)) {
    ++control_runs[execution->input_index];
  }
  CHECK(control_runs == std::map<std::size_t, int>{{0, 2}, {1, 2}, {2, 2}});

  // Control: warm workers, reused (6 tasks on 2 workers; one environment).
  for (const char* state : {"Work", "Finish"}) {
    INFO(state);
    std::map<std::string, int> per_worker;
    for (const auto* task : tasks_in(history, Phase::kControl, state)) ++per_worker[task->worker];
    CHECK(std::any_of(per_worker.begin(), per_worker.end(),
                      [](const auto& entry) { return entry.second >= 2; }));
  }

  // Chaos: after every task its worker's scratch was wiped and the worker
  // stopped, and every task succeeded at once on a worker of its own. A
  // worker asks for work again the moment its task ends, before its stop
  // lands (a docker stop takes a few hundred milliseconds): the runner
  // retires it in the engine as the task ends (ScenarioStack::retire_worker),
  // an activity worker and a Lambda environment alike, so the engine hands
  // it nothing that its disposal would fail.
  std::set<std::string> succeeded_on;
  for (const char* state : {"Work", "Finish"}) {
    const auto tasks = tasks_in(history, Phase::kChaos, state);
    REQUIRE(tasks.size() == 3);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const auto& task = *tasks[i];
      INFO(state << " task " << i << " on " << task.worker);
      REQUIRE(task.ended.has_value());
      CHECK(task.outcome == TaskOutcome::kSucceeded);
      CHECK(succeeded_on.insert(task.worker).second);
      bool wiped = false;
      bool stopped = false;
      for (const auto& fault : history.faults) {
        if (fault.worker != task.worker || fault.triggered + kSlack < *task.ended) continue;
        wiped = wiped || (fault.kind == FaultKind::kWipeScratch && fault.applied_ok);
        stopped = stopped || (fault.kind == FaultKind::kStop && fault.applied_ok);
      }
      CHECK(wiped);
      CHECK(stopped);
      CHECK(events_of(history, "scratch-wiped", task.worker).size() == 1);
      CHECK(events_of(history, "stopped", task.worker).size() == 1);
      if (task.pool == "work") replacement_of(history, task.worker, /*started=*/false);
    }
  }
  // Nothing in the control phase; the cold phase's disposals (the reliance
  // check's) and the chaos phase's faults after it.
  for (const auto& fault : history.faults) {
    CHECK(fault.triggered >= window(history, Phase::kCold).start);
  }
}

void check_data_directories(const Fleet& fleet, bool inputs_from_dir) {
  const TempDir runs;  // under the host's /tmp, so the run directory is too
  const TempDir data;
  const TempDir inputs;
  std::ofstream(data.path() / "table.txt") << "lookup-42\n";
  std::ofstream(inputs.path() / "doc-a") << "alpha\n";
  std::ofstream(inputs.path() / "doc-b") << "beta\n";
  Setup setup;
  setup.replicas = 1;
  setup.executions = 2;
  setup.concurrency = 1;
  setup.sleep_ms = 0;
  setup.checks = {checks::all_executions_succeed(), checks::outputs_match_control()};
  auto spec = make_spec("runner: data directories", setup);
  Scenario s(spec);
  s.durable_directory("store", "LOVELESS_TEST_DURABLE");
  s.read_only_directory(data.path(), "LOVELESS_TEST_READ_ONLY");
  if (inputs_from_dir) {
    spec.workload->inputs.clear();
    spec.workload->input_dir = inputs.path();
  }
  const auto run = runner_testing::run(spec, fleet, runs.path());
  const auto& history = run.history();
  INFO(run.summary());
  CHECK(all_checks_pass(run.result));
  // Docker always mounts read-only; a process only where it has a namespace.
  const bool enforced = fleet.name == "docker" || stacks::private_tmp_support().available;
  REQUIRE(history.executions.size() == 4);
  for (const auto& execution : history.executions) {
    INFO(execution.name << " " << execution.status << " " << execution.output.dump());
    REQUIRE(execution.output.is_object());
    CHECK(execution.output.value("read_only", "") == "lookup-42");
    CHECK(execution.output.value("read_only_write", "") == (enforced ? "refused" : "allowed"));
    CHECK(execution.output.value("durable_write", "") == "ok");
    if (inputs_from_dir) {
      const auto document = execution.output.value("document", "");
      CHECK(execution.output.value("source_text", "") == (document == "doc-a" ? "alpha" : "beta"));
    }
  }
  // Each activity task left a file in the durable directory, none in the data.
  CHECK(files_in(run.run_dir / "store").size() >= 4);
  if (enforced) CHECK(files_in(data.path()) == std::set<std::string>{"table.txt"});
}

}  // namespace loveless::scenario::runner_testing
