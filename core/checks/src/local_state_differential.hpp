#pragma once

// The warm/cold differential behind no_local_state_reliance (docs/checks.md):
// what ran cold, and which executions' outcomes differ from the same input
// run cold. Pure data; the check turns it into a verdict and evidence.

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/history/history.hpp"

#include "scratch_ledger.hpp"

namespace loveless::checks::detail {

/// How much the run proved: tasks that ran cold (the first task of a fresh
/// worker, in the cold phase) and warm tasks that ran on a reused worker, per
/// state.
struct ColdCoverage {
  std::map<std::string, std::size_t> cold_by_state;
  std::map<std::string, std::size_t> warm_by_state;
  std::size_t cold_tasks = 0;
  /// Cold-phase tasks that did not run on a fresh worker (a worker without a
  /// name, or one that had run a task before): not counted as cold.
  std::size_t not_cold = 0;
  std::size_t warm_tasks = 0;
  /// Warm tasks whose worker had run an earlier task: where local state
  /// could have been relied on.
  std::size_t warm_reused = 0;
  /// States that ran warm but never cold: nothing proves them.
  [[nodiscard]] std::vector<std::string> uncovered_states() const;
};
ColdCoverage measure_coverage(const history::History& history, const ScratchLedger& ledger);

/// One task of a divergent execution next to its counterpart run cold (the
/// same state, the same occurrence): the first pair whose outcome or output
/// differs.
struct TaskDifference {
  const history::TaskRecord* task = nullptr;
  const history::TaskRecord* cold = nullptr;
  std::string text;
};

/// An execution whose outcome (status, error) or output differs from its
/// input's cold executions.
struct Divergence {
  const history::ExecutionRecord* execution = nullptr;
  const history::ExecutionRecord* cold = nullptr;
  /// In a few words: `warm ended FAILED (Lock.Held), cold SUCCEEDED`.
  std::string difference;
  std::optional<TaskDifference> task;
};

/// An input the differential could not judge, and why.
struct UnjudgedInput {
  std::size_t input_index = 0;
  std::string reason;
};

struct DifferentialResult {
  std::size_t inputs = 0;
  std::size_t judged_inputs = 0;
  std::size_t cold_executions = 0;
  /// Control executions whose every task was its worker's first, taken as
  /// cold samples too (they learn cold-varying places; never the reference).
  std::size_t fresh_control_executions = 0;
  /// Warm (control) and chaos executions compared with their input's cold ones.
  std::size_t warm_compared = 0;
  std::size_t chaos_compared = 0;
  std::vector<Divergence> warm;
  std::vector<Divergence> chaos;
  std::vector<UnjudgedInput> unjudged;
  /// JSON Pointers where outputs differed only in timestamps or UUIDs, which
  /// were taken as agreeing (run_varying_values.hpp).
  std::set<std::string> run_varying_paths;
  /// JSON Pointers (`*` for every array element, `(word N)` for a word of a
  /// string) where the cold executions of one input differed: each ran on
  /// fresh workers, so those values vary without local state (a clock, a
  /// random draw, a process id, a durable store) and were left out of every
  /// comparison (cold_varying_paths.hpp).
  std::set<std::string> cold_varying_paths;
  /// An ignore path that is not one: the differential did not run.
  std::optional<std::string> invalid;
};

/// For every input with cold executions that end alike (status and error),
/// every warm and chaos execution that ended compared with them: status,
/// error, and output (after `options`' ignore paths, or its comparator, and
/// without the places where any input's cold outputs differed).
DifferentialResult run_differential(const history::History& history,
                                    const OutputComparison& options);

/// The output the task's *Succeeded event recorded (parsed when it is JSON),
/// or nullopt when it did not succeed.
std::optional<nlohmann::json> task_output(const history::ExecutionRecord& execution,
                                          const history::TaskRecord& task);

}  // namespace loveless::checks::detail
