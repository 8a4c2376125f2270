#pragma once
// Helpers of the runner tests (tests/scenario/runner): a scenario over the
// workflow one_task.asl.json (Work, an activity task; then Finish, a Lambda
// task) served by runner-test-worker, run through `run_scenario` on a fresh
// local stack, and lookups in the history it returns.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/history/history.hpp"
#include "loveless/injectors/injector.hpp"
#include "loveless/scenario/runner.hpp"
#include "loveless/scenario/scenario.hpp"

namespace loveless::scenario::runner_testing {

using Ms = std::chrono::milliseconds;

/// The image the build makes from runner-test-worker-static.
inline constexpr const char* kRunnerImage = LOVELESS_RUNNER_TEST_IMAGE;

/// One test's scenario: pools `work` (activity, `replicas` workers) and
/// `finish` (function), the workload, the injectors.
struct Setup {
  int replicas = 2;
  /// Executions per phase, and at once.
  int executions = 3;
  int concurrency = 2;
  /// How long each Work task (activity) and each Finish task (function) sleeps.
  int sleep_ms = 300;
  int function_sleep_ms = 0;
  /// Keeps the chaos phase starting executions this long.
  std::optional<Ms> chaos_duration;
  std::vector<injectors::Injector> injectors;
  /// Extra environment variables of the `work` pool's workers.
  std::map<std::string, std::string> work_environment;
  /// Empty: all_executions_succeed() alone.
  std::vector<checks::CheckPtr> checks;
};

/// The scenario `name`: inputs `{"id": "<k>", "sleep_ms": ..., "function_sleep_ms": ...}`
/// for k = 0..executions-1; workers heartbeat every 200 ms (Work's
/// HeartbeatSeconds is 1) and fail a task still running 50 ms after SIGTERM
/// with Worker.Terminated (LOVELESS_STOP_GRACE_MS).
ScenarioSpec make_spec(const std::string& name, const Setup& setup);

/// What one run produced.
struct Run {
  RunResult result;
  /// `<runs root>/<run id>`: scratch directories, worker logs.
  std::filesystem::path run_dir;
  /// The runner's console output (verbose).
  std::string log;
  [[nodiscard]] const History& history() const { return result.history; }
  /// The console output, then the faults, worker events and tasks, times in
  /// ms since the control phase started: what a failed assertion shows.
  [[nodiscard]] std::string summary() const;
};

/// Where a test runs, and what it verifies after every run (the docker tests:
/// no container of the run is left).
struct Fleet {
  std::string name;  // process or docker
  std::function<void(const Run&)> after_run;
};

/// Runs `spec` on a fresh local stack of `fleet` under `runs_root` (a run id
/// unique to this process), with `seed`. Fails the test when the stack cannot
/// come up or the scenario is invalid. LOVELESS_RUNNER_TEST_VERBOSE=1 prints
/// every run's summary. `observer` (may be null) becomes RunOptions::observer.
Run run(const ScenarioSpec& spec, const Fleet& fleet, const std::filesystem::path& runs_root,
        std::uint64_t seed = 1, RunObserver* observer = nullptr);

// ---- lookups ----

/// `to - from` in whole milliseconds (negative when `to` is earlier).
Ms since(TimePoint from, TimePoint to);
const PhaseWindow& window(const History& history, Phase phase);
std::vector<const FaultRecord*> faults_of(const History& history, FaultKind kind);
/// Worker events of `kind` (`killed`, `replaced`, ...), of `worker` when not empty.
std::vector<const WorkerEvent*> events_of(const History& history, std::string_view kind,
                                          const std::string& worker = "");
/// The tasks of `phase` in `state` (any state when empty), by start time (never started last).
std::vector<const TaskRecord*> tasks_in(const History& history, Phase phase,
                                        const std::string& state = "");
/// The tasks of one execution in `state`, in scheduling order.
std::vector<const TaskRecord*> tasks_of(const History& history, const std::string& execution_arn,
                                        const std::string& state);
/// Every worker id of `pool` that started (a `started` event).
std::set<std::string> started_workers(const History& history, const std::string& pool);
/// The workers live at `at`: started before it and not died before it.
std::set<std::string> live_workers_at(const History& history, TimePoint at,
                                      const std::string& pool = "");
/// The `(primitive, worker, triggered - chaos start)` of every fault, in fault-log order.
std::vector<std::string> fault_plan(const History& history);
/// Names of the files in `dir` (empty when it does not exist).
std::set<std::string> files_in(const std::filesystem::path& dir);
/// True when every verdict passed.
bool all_checks_pass(const RunResult& result);

// ---- the fault tests, shared by both fleets (runner_fault_tests.cpp) ----

void check_kill(const Fleet& fleet);
void check_stop(const Fleet& fleet);
void check_restart(const Fleet& fleet);
void check_pause_resumed_after_its_duration(const Fleet& fleet);
void check_pause_resumed_at_heal(const Fleet& fleet);
void check_wipe_scratch(const Fleet& fleet);
void check_disposable(const Fleet& fleet);
/// A durable directory, a read-only directory and (with `inputs_from_dir`)
/// an input directory, all under the host's /tmp as the run directory is:
/// every worker reads the data and the inputs at the paths it is given,
/// writes to the durable directory, and is refused writes to the read-only
/// data (where the fleet can enforce it).
void check_data_directories(const Fleet& fleet, bool inputs_from_dir);

// ---- workers with a workerName of their own (runner_worker_name_tests.cpp) ----

/// Work's workers poll with `vm-<pid>`: a kill on task started lands on the
/// fleet worker that took the task, the tasks are attributed to fleet ids,
/// and the console notes the mapping once per worker.
void check_kill_reaches_worker_with_own_name(const Fleet& fleet);

}  // namespace loveless::scenario::runner_testing
