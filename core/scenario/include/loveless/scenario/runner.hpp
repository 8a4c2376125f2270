#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"
#include "loveless/history/run_observer.hpp"
#include "loveless/scenario/scenario.hpp"
#include "loveless/scenario/scenario_stack.hpp"

namespace loveless::scenario {

/// The scenario is invalid (a missing workflow file, an unknown pool, a fault
/// the stack cannot perform): nothing was started. `problems` lists each.
class InvalidScenario : public std::runtime_error {
 public:
  explicit InvalidScenario(std::vector<std::string> problems);
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// How to run one scenario.
struct RunOptions {
  std::uint64_t seed = 1;
  /// Overrides of the workload's execution count and chaos duration.
  std::optional<int> executions;
  std::optional<std::chrono::milliseconds> duration;
  /// Where a bare argv[0] of a pool command is looked for first (the suite
  /// executable's directory).
  std::filesystem::path binary_dir;
  /// Set from a signal handler: stop starting work, heal, judge what is known.
  const std::atomic<bool>* interrupted = nullptr;
  /// Progress and fault lines (nullptr: silent).
  std::ostream* console = nullptr;
  bool verbose = false;
  /// Hears of phases, closed executions, ended task attempts and faults as
  /// they happen (run_observer.hpp has the threads it is called on); nullptr:
  /// nobody. Must outlive the run.
  history::RunObserver* observer = nullptr;
};

/// What a run produced.
struct RunResult {
  history::History history;
  std::vector<checks::Verdict> verdicts;
  /// Every check passed (for `[!shouldfail]`: at least one failed).
  bool passed = false;
};

/// Runs `spec` on `stack` (DESIGN.md, "Architecture"): validates it, brings
/// the stack up, deploys the workflows and pools, runs the control phase (no
/// faults) and the chaos phase (same inputs, injectors on), heals (resumes
/// paused workers, stops faults), collects the history (execution histories,
/// the fault log, pool events, the scratch audit), judges every check, and
/// tears the stack down, always.
///
/// Throws `InvalidScenario` before anything starts, and `StackUnavailable`
/// when the stack cannot come up. Anything that goes wrong in the system under
/// test is data in the history, never an exception.
RunResult run_scenario(const ScenarioSpec& spec, ScenarioStack& stack, const RunOptions& options);

/// Problems that make `spec` impossible to run on `stack` (empty: it can
/// run): declaration mistakes, files and commands not found, names that
/// match nothing, faults the stack cannot perform (naming the nearest
/// alternative). Reads the scenario's files; starts nothing. `run_scenario`
/// calls it first.
std::vector<std::string> validate(const ScenarioSpec& spec, const ScenarioStack& stack,
                                  const RunOptions& options);

}  // namespace loveless::scenario
