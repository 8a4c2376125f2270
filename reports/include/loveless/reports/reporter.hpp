#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"

namespace loveless::reports {

/// What a reporter knows of a scenario before it runs. Reporters depend on
/// the history and the checks alone (DESIGN.md, "Layout"), so this is a copy
/// of the declaration's reportable parts rather than the ScenarioSpec, and a
/// JSON report can rebuild it (`loveless report`).
struct ScenarioInfo {
  std::string name;
  /// Catch2-style tags without brackets (`demo`, `!shouldfail`).
  std::vector<std::string> tags;
  /// `[!shouldfail]`: a check must fail for the scenario to pass.
  bool should_fail = false;
  std::string source_file;
  int source_line = 0;
  /// The fault plan: each injector's description, in declaration order
  /// (`kill on task started in count-words after 200 ms, at most 10 times`).
  /// With the seed, it reproduces the faults.
  std::vector<std::string> injectors;
};

/// What one scenario's run produced (the runner's RunResult).
struct ScenarioResult {
  history::History history;
  std::vector<checks::Verdict> verdicts;
  /// Every check passed (for `[!shouldfail]`: at least one failed).
  bool passed = false;
};

/// The suite as it starts.
struct SuiteInfo {
  /// The suite executable's name (`demo-scenarios`).
  std::string suite;
  /// `process`, `docker` or `aws`.
  std::string stack;
  std::uint64_t seed = 0;
  /// The selected scenarios, in the order they will run.
  std::vector<ScenarioInfo> scenarios;
  history::TimePoint started{};
};

/// The suite as it ends.
struct SuiteTotals {
  /// Selected, run (an interrupted suite runs fewer), passed and failed.
  std::size_t selected = 0;
  std::size_t run = 0;
  std::size_t passed = 0;
  std::size_t failed = 0;
  /// SIGINT or SIGTERM cut the suite short: the reports are partial.
  bool interrupted = false;
  history::TimePoint ended{};
};

/// A report's file could not be written; the message names the file and the
/// reason, and any earlier report at that path is left as it was.
class ReportWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The listener every reporter implements (Catch2's reporter shape). The
/// suite calls, in this order and from one thread:
///
/// - `suite_started` once, after the scenarios are selected and validated;
/// - per scenario that runs, `scenario_started` before its stack comes up and
///   `scenario_ended` once its verdicts are judged (also when the run was
///   interrupted: then `result.history.partial` is true);
/// - `suite_ended` once, after the last scenario, also when a signal stopped
///   the suite (`totals.interrupted`). File reporters write their files here
///   (or, for per-scenario files, in `scenario_ended`).
///
/// A hook may throw `ReportWriteError`; nothing else. Reporters are not
/// thread-safe; each owns its output.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void suite_started(const SuiteInfo& suite) = 0;
  virtual void scenario_started(const ScenarioInfo& scenario) = 0;
  virtual void scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) = 0;
  virtual void suite_ended(const SuiteTotals& totals) = 0;
};

/// Several reporters at once: each hook goes to every reporter in the order
/// they were added. A reporter that throws does not keep the later ones from
/// their hook; the errors are thrown afterwards as one `ReportWriteError`.
class ReporterSet final : public Reporter {
 public:
  void add(std::unique_ptr<Reporter> reporter);
  [[nodiscard]] bool empty() const { return reporters_.empty(); }

  void suite_started(const SuiteInfo& suite) override;
  void scenario_started(const ScenarioInfo& scenario) override;
  void scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) override;
  void suite_ended(const SuiteTotals& totals) override;

 private:
  template <typename Hook>
  void each(Hook hook);
  std::vector<std::unique_ptr<Reporter>> reporters_;
};

}  // namespace loveless::reports
