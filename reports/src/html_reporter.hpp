#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "loveless/reports/reporter.hpp"

#include "report_destination.hpp"

namespace loveless::reports {

/// `html::out=FILE`: one self-contained HTML page (inline CSS and SVG, no
/// script, nothing fetched) for people to read (docs/scenarios.md, "The HTML
/// report"): the suite's summary (suite, stack, seed, run ids, each
/// scenario's outcome and counts), then per scenario its checks with their
/// evidence and an SVG timeline (`timeline_svg`: a row per worker, task bars
/// coloured by execution, fault markers, recovery spans, links from failed
/// executions to their faults). Each scenario's section is rendered when it
/// ends; the page is written atomically when the suite ends (`partial` when
/// interrupted), or printed to a stream.
class HtmlReporter final : public Reporter {
 public:
  /// To `file`; `notices` (may be null) gets `  report FILE` once written.
  HtmlReporter(std::filesystem::path file, std::ostream* notices);
  /// To `out` (stdout), which must outlive the reporter.
  explicit HtmlReporter(std::ostream& out);

  void suite_started(const SuiteInfo& suite) override;
  void scenario_started(const ScenarioInfo& scenario) override;
  void scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) override;
  void suite_ended(const SuiteTotals& totals) override;

 private:
  ReportDestination destination_;
  SuiteInfo suite_;
  /// Summary table rows and scenario sections so far.
  std::string rows_;
  std::string sections_;
  std::vector<std::string> run_ids_;
  std::size_t scenarios_ = 0;
};

}  // namespace loveless::reports
