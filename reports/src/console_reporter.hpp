#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <sstream>
#include <vector>

#include "loveless/reports/reporter.hpp"

namespace loveless::reports {

/// The console report: each scenario's verdicts as it ends (one line per
/// check, `  pass  <check>: <summary>`, then its evidence: at most 8 items
/// unless verbose), `PASSED  <name>` or `FAILED  <name>`, and at the end a
/// summary table (scenario, outcome, checks passed/failed/unknown,
/// executions, applied faults, duration) and `N scenario(s): X passed, Y
/// failed`. To a stream, live; or to a file, written atomically at the end.
class ConsoleReporter final : public Reporter {
 public:
  /// Writes to `out`, which must outlive the reporter.
  ConsoleReporter(std::ostream& out, bool verbose);
  /// Collects the text and writes `file` when the suite ends.
  ConsoleReporter(std::filesystem::path file, std::ostream* notices, bool verbose);

  void suite_started(const SuiteInfo& suite) override;
  void scenario_started(const ScenarioInfo& scenario) override;
  void scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) override;
  void suite_ended(const SuiteTotals& totals) override;

 private:
  struct Row {
    std::string scenario;
    std::string outcome;
    std::size_t pass = 0;
    std::size_t fail = 0;
    std::size_t unknown = 0;
    std::size_t executions = 0;
    std::size_t faults = 0;
    std::string duration;
  };
  void print_table();

  std::unique_ptr<std::ostringstream> buffer_;
  std::ostream* out_;
  std::filesystem::path file_;
  std::ostream* notices_ = nullptr;
  bool verbose_;
  std::vector<Row> rows_;
};

}  // namespace loveless::reports
