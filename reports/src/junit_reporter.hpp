#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "loveless/reports/reporter.hpp"

#include "report_destination.hpp"

namespace loveless::reports {

/// `junit::out=FILE`: JUnit XML as Jenkins, GitLab and GitHub test reporters
/// read it (tests/reports/junit.xsd; docs/ci.md, "The JUnit report"): one
/// `<testsuite>` per scenario, one `<testcase>` per check (classname the
/// scenario, name the check). A failed check is a `<failure>` with the summary
/// as message and the evidence as text; an unknown verdict is `<skipped>`; in
/// a `[!shouldfail]` scenario a failed check is the expected outcome, so its
/// testcase passes with the evidence in `<system-out>`, and a run in which no
/// check failed gets a failing `scenario verdict` testcase. Times in seconds.
/// Written atomically when the suite ends, or to a stream.
class JunitReporter final : public Reporter {
 public:
  /// To `file`; `notices` (may be null) gets `  report FILE` once written.
  JunitReporter(std::filesystem::path file, std::ostream* notices);
  /// To `out` (stdout), which must outlive the reporter.
  explicit JunitReporter(std::ostream& out);

  void suite_started(const SuiteInfo& suite) override;
  void scenario_started(const ScenarioInfo& scenario) override;
  void scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) override;
  void suite_ended(const SuiteTotals& totals) override;

 private:
  ReportDestination destination_;
  SuiteInfo suite_;
  /// The `<testsuite>` elements so far, and their counts for `<testsuites>`.
  std::string testsuites_;
  std::size_t tests_ = 0;
  std::size_t failures_ = 0;
  std::size_t skipped_ = 0;
  std::chrono::milliseconds time_{0};
};

}  // namespace loveless::reports
