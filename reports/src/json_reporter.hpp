#pragma once

#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "loveless/reports/reporter.hpp"

#include "report_destination.hpp"

namespace loveless::reports {

/// `json::out=FILE`: one report for the whole suite (docs/report-schema.md),
/// written atomically when the suite ends (`partial` when interrupted), or
/// printed to a stream.
class JsonReporter final : public Reporter {
 public:
  /// To `file`; `notices` (may be null) gets `  report FILE` once written.
  JsonReporter(std::filesystem::path file, std::ostream* notices);
  /// To `out` (stdout), which must outlive the reporter.
  explicit JsonReporter(std::ostream& out);

  void suite_started(const SuiteInfo& suite) override;
  void scenario_started(const ScenarioInfo& scenario) override;
  void scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) override;
  void suite_ended(const SuiteTotals& totals) override;

 private:
  ReportDestination destination_;
  SuiteInfo suite_;
  nlohmann::json scenarios_ = nlohmann::json::array();
};

/// `--report-dir`: `DIR/<scenario slug>.json` per scenario, written
/// atomically as soon as the scenario ends, so the reports of the scenarios
/// that ran survive a suite that dies later. Each is a whole report (the
/// same schema) with one scenario, its times the scenario's run.
class JsonDirectoryReporter final : public Reporter {
 public:
  JsonDirectoryReporter(std::filesystem::path dir, std::ostream* notices);

  void suite_started(const SuiteInfo& suite) override;
  void scenario_started(const ScenarioInfo& scenario) override;
  void scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) override;
  void suite_ended(const SuiteTotals& totals) override;

 private:
  std::filesystem::path dir_;
  std::ostream* notices_;
  SuiteInfo suite_;
};

}  // namespace loveless::reports
