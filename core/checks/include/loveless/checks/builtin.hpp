#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/checks/check.hpp"

namespace loveless::checks {

/// Every execution of both phases ended SUCCEEDED. Evidence: each execution
/// that did not, with its status, error and cause, and the faults attributed
/// to it (`attribute`). Unknown when the history holds no execution.
CheckPtr all_executions_succeed();
/// Every execution ended in `status` (`FAILED` for a workflow that must fail).
CheckPtr all_executions_end_in(std::string status);

/// How `outputs_match_control` compares a chaos output with its control output.
struct OutputComparison {
  /// Parts of the output to leave out before comparing, as JSONPath
  /// (`$.generated_at`, `$.items[*].id`; simple member and index paths and
  /// `[*]`) — for values that legitimately differ between runs.
  std::vector<std::string> ignore_paths;
  /// Replaces JSON equality: returns an empty string when `control` and
  /// `chaos` agree, else the difference in a few words.
  std::function<std::string(const nlohmann::json& control, const nlohmann::json& chaos)> comparator;
};
/// For every input, the chaos execution's output equals the control
/// execution's (JSON equality after `ignore_paths`, or the comparator). Fails
/// naming each divergent execution, the first difference (a JSON Pointer and
/// both values) and the attributed faults; an input whose control or chaos
/// execution did not succeed cannot be compared and is listed as unknown
/// evidence (the verdict is unknown when no input could be compared).
CheckPtr outputs_match_control(OutputComparison comparison = {});

/// No component relied on local state (docs/checks.md): no task's outcome
/// (status, error, output) depended on what earlier tasks left in a worker's
/// memory or scratch. Decided by a differential: the runner adds a cold phase
/// (the control inputs again, no faults, every task on a fresh worker with
/// empty scratch) and every warm (control) execution must end like its
/// input's cold ones (outputs compared after `comparison`'s ignore paths, or
/// by its comparator). A chaos execution that differs counts only when its
/// first differing task read scratch an earlier task left and no fault hit
/// it. The scratch audit names the mechanism (a read of a left file, files
/// left behind where the task ran, or memory). Fails on any such
/// difference; unknown without a cold phase (aws), without an input to judge,
/// or with too little coverage (a state that never ran cold, no warm task on
/// a reused worker); else passes, naming the coverage.
CheckPtr no_local_state_reliance(OutputComparison comparison = {});

/// A percentile of a per-fault duration, compared with a bound:
/// `recovery_time().p95() < 15s`.
class DurationMetric {
 public:
  enum class Kind { kRecovery, kDetection };
  explicit DurationMetric(Kind kind, double percentile = 0.95) : kind_(kind), p_(percentile) {}
  [[nodiscard]] DurationMetric p50() const { return DurationMetric(kind_, 0.50); }
  [[nodiscard]] DurationMetric p95() const { return DurationMetric(kind_, 0.95); }
  [[nodiscard]] DurationMetric p99() const { return DurationMetric(kind_, 0.99); }
  [[nodiscard]] DurationMetric max() const { return DurationMetric(kind_, 1.0); }
  /// `percentile` in (0, 1].
  [[nodiscard]] DurationMetric percentile(double percentile) const;
  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] double fraction() const { return p_; }

 private:
  Kind kind_;
  double p_;
};

/// Recovery time of each fault that disrupted a task (it hit the worker while
/// the task ran): from the fault to the moment the same work (the same task
/// state of the same execution and branch, retried elsewhere or resumed)
/// succeeded. A disrupted task whose work never succeeded counts as
/// unrecovered and fails the bound. Unknown when no fault disrupted a task.
DurationMetric recovery_time();
/// Time to detect: from a fault that disrupted a task to the orchestrator
/// recording that the task failed or timed out (heartbeat, timeout, crash).
DurationMetric time_to_detect();
/// One fault that disrupted one task, with the durations the recovery_time
/// and time_to_detect checks measure for it (the same rules and
/// millisecond rounding).
struct DisruptionTiming {
  std::uint64_t fault_id = 0;
  history::FaultKind fault = history::FaultKind::kKill;
  /// The fault's pool (the task's when the fault names none).
  std::string pool;
  std::string worker;
  std::string execution_arn;
  std::string state_name;
  /// Fault to the same work succeeding; nullopt: unrecovered.
  std::optional<std::chrono::milliseconds> recovery;
  /// Fault to the orchestrator recording a failure or timeout of the work;
  /// nullopt: nothing recorded (undetected, or absorbed when it recovered).
  std::optional<std::chrono::milliseconds> detection;
};
/// Every (fault, task) disruption in `history`, in the order faults were
/// applied: the raw values behind recovery_time() and time_to_detect(), for
/// reporters and metrics. Never throws on malformed histories (skips what it
/// cannot link).
std::vector<DisruptionTiming> disruption_timings(const history::History& history);

/// The bound check: the metric's percentile is strictly below `bound`.
CheckPtr operator<(const DurationMetric& metric, std::chrono::milliseconds bound);

/// The chaos phase's duration over the control phase's (wall clock from the
/// first StartExecution to the last execution's end), compared with a bound:
/// `duration_inflation() < 3.0`.
struct InflationMetric {};
InflationMetric duration_inflation();
CheckPtr operator<(InflationMetric metric, double bound);

/// The faults that preceded `execution`'s failure or divergence on the
/// workers that ran its tasks: every fault applied to one of those workers
/// between the execution's start and its stop (or the end of the history),
/// oldest first, as evidence (`kill of count-words-2 at +3.2 s, while it ran
/// CountWords of this execution`).
std::vector<Evidence> attribute(const history::History& history,
                                const history::ExecutionRecord& execution);

}  // namespace loveless::checks
