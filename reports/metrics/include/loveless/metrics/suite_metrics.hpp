#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <prometheus/registry.h>

#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"
#include "loveless/history/run_observer.hpp"

namespace loveless::metrics {

struct Families;

/// Records one run of one scenario into the suite's metrics: live through
/// the `RunObserver` hooks (faults, executions, task attempts, phases), and
/// at the end from the run's history and verdicts (recovery and detection times, local-state
/// findings, verdicts, passed), which also counts whatever the hooks did not
/// report (a stack without live notices), so that every counter agrees with
/// the history.
///
/// Thread-safety: the hooks may be called from any thread at once (they take
/// a short lock and update prometheus-cpp metrics, which are thread-safe);
/// `finish` once, after `run_scenario` returned. Owned by the caller; the
/// `SuiteMetrics` it came from must outlive it.
class ScenarioRecorder final : public history::RunObserver {
 public:
  ScenarioRecorder(Families& families, std::string scenario);

  void phase_started(history::Phase phase) override;
  void phase_ended(history::Phase phase) override;
  void execution_closed(const history::ExecutionClosed& execution) override;
  void task_attempt_ended(const history::TaskAttemptEnded& task) override;
  void fault_applied(const history::FaultRecord& fault) override;

  /// Records the end-of-run metrics of this scenario's run: its `history`,
  /// the `verdicts` of its checks and whether it `passed` (as the runner's
  /// RunResult says, `[!shouldfail]` included), and counts the executions,
  /// task attempts and faults of the history the hooks did not report. Call
  /// once.
  void finish(const history::History& history, const std::vector<checks::Verdict>& verdicts,
              bool passed);

 private:
  void count_execution(history::Phase phase, const std::string& status,
                       std::optional<std::chrono::milliseconds> duration);
  void count_fault(const history::FaultRecord& fault);
  void count_task(history::Phase phase, const std::string& pool, history::TaskOutcome outcome,
                  bool retry);

  Families& families_;
  const std::string scenario_;
  std::mutex mutex_;
  std::set<std::string> seen_executions_;
  std::set<std::pair<std::string, std::int64_t>> seen_tasks_;
  std::set<std::uint64_t> seen_faults_;
};

/// The Prometheus metrics of a suite run (docs/metrics.md): one registry,
/// metric names prefixed `loveless_`, labelled by scenario (and phase, pool,
/// fault, status, check, outcome as fits each). Several scenarios run one
/// after the other record into the same registry.
///
/// Thread-safety: `registry()` may be collected from any thread (an
/// exposer's, a push) while recorders write; `start` from one thread.
class SuiteMetrics {
 public:
  SuiteMetrics();
  ~SuiteMetrics();
  SuiteMetrics(const SuiteMetrics&) = delete;
  SuiteMetrics& operator=(const SuiteMetrics&) = delete;

  [[nodiscard]] const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }
  /// A recorder for one run of `scenario` (its name labels every metric).
  [[nodiscard]] std::unique_ptr<ScenarioRecorder> start(std::string scenario);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> families_;
};

}  // namespace loveless::metrics
