#include "runner_test_support.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <catch2/catch.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/stacks/local_scenario_stack.hpp"

#include <unistd.h>

namespace loveless::scenario::runner_testing {
namespace {

std::string unique_run_id() {
  static std::atomic<int> runs{0};
  return "runner-test-" + std::to_string(::getpid()) + "-" + std::to_string(++runs);
}

}  // namespace

ScenarioSpec make_spec(const std::string& name, const Setup& setup) {
  ScenarioSpec spec;
  spec.name = name;
  Scenario s(spec);
  auto wf = s.workflow("one-task", LOVELESS_RUNNER_TEST_WORKFLOW)
                .bind("WorkActivityArn", activity_arn("work"))
                .bind("FinishFunctionArn", function_arn("finish"));
  const std::vector<std::string> command = {LOVELESS_RUNNER_TEST_WORKER, "echo"};
  const std::string entrypoint = "/runner-test-worker-static";
  auto work = s.activity_pool("work");
  work.command(command)
      .image(kRunnerImage, entrypoint)
      .replicas(setup.replicas)
      .env("LOVELESS_HEARTBEAT_INTERVAL_MS", "200")
      .env("LOVELESS_STOP_GRACE_MS", "50");
  for (const auto& [variable, value] : setup.work_environment) work.env(variable, value);
  s.function_pool("finish")
      .command(command)
      .image(kRunnerImage, entrypoint)
      .timeout(std::chrono::seconds(10))
      .env("LOVELESS_STOP_GRACE_MS", "50");
  std::vector<nlohmann::json> inputs;
  for (int i = 0; i < setup.executions; ++i) {
    inputs.push_back({{"id", std::to_string(i)},
                      {"sleep_ms", setup.sleep_ms},
                      {"function_sleep_ms", setup.function_sleep_ms}});
  }
  // The builder by value: its methods return references to it.
  auto workload = s.executions(wf);
  workload.count(setup.executions).concurrency(setup.concurrency).inputs(std::move(inputs));
  if (setup.chaos_duration) workload.duration(*setup.chaos_duration);
  for (const auto& injector : setup.injectors) s.inject(injector);
  if (setup.checks.empty()) {
    s.check(checks::all_executions_succeed());
  } else {
    for (const auto& check : setup.checks) s.check(check);
  }
  // Every run of these tests takes seconds; a minute means it hangs.
  s.deadline(std::chrono::seconds(60));
  return spec;
}

Run run(const ScenarioSpec& spec, const Fleet& fleet, const std::filesystem::path& runs_root,
        std::uint64_t seed, RunObserver* observer) {
  Run run;
  std::ostringstream console;
  RunOptions options;
  options.seed = seed;
  options.observer = observer;
  options.console = &console;
  options.verbose = true;
  const auto stack = make_local_scenario_stack(fleet.name, unique_run_id(), runs_root, seed);
  run.run_dir = stack->run_dir();
  try {
    run.result = run_scenario(spec, *stack, options);
  } catch (const InvalidScenario& e) {
    FAIL("invalid scenario: " << e.what());
  } catch (const StackUnavailable& e) {
    FAIL("the " << fleet.name << " stack is unavailable: " << e.what() << "\n" << console.str());
  }
  run.log = console.str();
  if (const char* verbose = std::getenv("LOVELESS_RUNNER_TEST_VERBOSE");
      verbose != nullptr && std::string(verbose) == "1") {
    std::cout << "---- " << spec.name << " on " << fleet.name << "\n" << run.summary();
  }
  if (fleet.after_run) fleet.after_run(run);
  return run;
}

std::string Run::summary() const {
  const auto& h = history();
  const auto origin = h.phases.empty() ? TimePoint{} : h.phases.front().start;
  const auto at = [&](TimePoint t) { return "+" + std::to_string(since(origin, t).count()); };
  std::ostringstream text;
  text << log << "run directory " << run_dir.string() << "\nphases:";
  for (const auto& phase : h.phases) {
    text << " " << to_string(phase.phase) << " " << at(phase.start) << ".." << at(phase.end);
  }
  text << "\nfaults:\n";
  for (const auto& fault : h.faults) {
    text << "  #" << fault.id << " " << to_string(fault.kind) << " " << fault.worker << " (pool "
         << fault.pool << ", state " << fault.state_name << ") triggered " << at(fault.triggered)
         << " applied " << at(fault.applied) << (fault.applied_ok ? "" : " failed: " + fault.error)
         << "\n";
  }
  text << "worker events:\n";
  for (const auto& event : h.worker_events) {
    text << "  " << at(event.at) << " " << event.kind << " " << event.worker << " " << event.detail
         << "\n";
  }
  text << "tasks:\n";
  for (const auto& task : h.tasks) {
    const auto* execution = h.execution(task.execution_arn);
    text << "  " << to_string(task.phase) << " " << (execution ? execution->name : "?") << " "
         << task.state_name << " on " << (task.worker.empty() ? "(none)" : task.worker) << " "
         << to_string(task.outcome) << (task.error.empty() ? "" : " " + task.error) << " "
         << (task.started ? at(*task.started) : "-") << ".." << (task.ended ? at(*task.ended) : "-")
         << "\n";
  }
  text << "executions:\n";
  for (const auto& execution : h.executions) {
    text << "  " << execution.name << " " << execution.status << "\n";
  }
  text << "verdicts:\n";
  for (const auto& verdict : result.verdicts) {
    text << "  " << checks::to_string(verdict.outcome) << " " << verdict.check << ": "
         << verdict.summary << "\n";
    for (const auto& evidence : verdict.evidence) text << "    " << evidence.text << "\n";
  }
  return text.str();
}

Ms since(TimePoint from, TimePoint to) { return std::chrono::duration_cast<Ms>(to - from); }

const PhaseWindow& window(const History& history, Phase phase) {
  const auto* found = history.window(phase);
  REQUIRE(found != nullptr);
  return *found;
}

std::vector<const FaultRecord*> faults_of(const History& history, FaultKind kind) {
  std::vector<const FaultRecord*> found;
  for (const auto& fault : history.faults) {
    if (fault.kind == kind) found.push_back(&fault);
  }
  return found;
}

std::vector<const WorkerEvent*> events_of(const History& history, std::string_view kind,
                                          const std::string& worker) {
  std::vector<const WorkerEvent*> found;
  for (const auto& event : history.worker_events) {
    if (event.kind == kind && (worker.empty() || event.worker == worker)) found.push_back(&event);
  }
  return found;
}

std::vector<const TaskRecord*> tasks_in(const History& history, Phase phase,
                                        const std::string& state) {
  std::vector<const TaskRecord*> found;
  for (const auto& task : history.tasks) {
    if (task.phase == phase && (state.empty() || task.state_name == state)) found.push_back(&task);
  }
  std::stable_sort(found.begin(), found.end(), [](const TaskRecord* a, const TaskRecord* b) {
    if (a->started.has_value() != b->started.has_value()) return a->started.has_value();
    return a->started && *a->started < *b->started;
  });
  return found;
}

std::vector<const TaskRecord*> tasks_of(const History& history, const std::string& execution_arn,
                                        const std::string& state) {
  std::vector<const TaskRecord*> found;
  for (const auto* task : history.tasks_of(execution_arn)) {
    if (task->state_name == state) found.push_back(task);
  }
  return found;
}

std::set<std::string> started_workers(const History& history, const std::string& pool) {
  std::set<std::string> found;
  for (const auto& event : history.worker_events) {
    if (event.kind == "started" && event.pool == pool) found.insert(event.worker);
  }
  return found;
}

std::set<std::string> live_workers_at(const History& history, TimePoint at,
                                      const std::string& pool) {
  std::set<std::string> live;
  for (const auto& event : history.worker_events) {
    if (event.at > at || (!pool.empty() && event.pool != pool)) continue;
    if (event.kind == "started" || event.kind == "restarted") live.insert(event.worker);
    if (event.kind == "died") live.erase(event.worker);
  }
  return live;
}

std::vector<std::string> fault_plan(const History& history) {
  const auto& chaos = window(history, Phase::kChaos);
  std::vector<std::string> plan;
  for (const auto& fault : history.faults) {
    plan.push_back(std::string(to_string(fault.kind)) + " " + fault.worker + " +" +
                   std::to_string(since(chaos.start, fault.triggered).count()) + " ms");
  }
  return plan;
}

std::set<std::string> files_in(const std::filesystem::path& dir) {
  std::set<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

bool all_checks_pass(const RunResult& result) {
  return !result.verdicts.empty() &&
         std::all_of(result.verdicts.begin(), result.verdicts.end(),
                     [](const auto& verdict) { return verdict.outcome == checks::Outcome::kPass; });
}

}  // namespace loveless::scenario::runner_testing
