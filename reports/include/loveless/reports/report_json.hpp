#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/checks/check.hpp"
#include "loveless/reports/reporter.hpp"

namespace loveless::reports {

/// The `schema` member of every JSON report; docs/report-schema.md. A
/// change that removes or retypes a member makes it `v2`.
inline constexpr const char* kReportSchema = "loveless.report/v1";

/// `{"check", "outcome", "summary", "evidence": [{"text", "data"}], "measurements"}`.
nlohmann::json verdict_json(const checks::Verdict& verdict);

/// One scenario of a report: `{"scenario", "tags", "should_fail", "source":
/// {"file", "line"}, "passed", "partial", "duration_s", "checks": {"pass",
/// "fail", "unknown"}, "fault_plan": {"seed", "injectors"}, "verdicts",
/// "history"}` (docs/report-schema.md).
nlohmann::json scenario_json(const ScenarioInfo& scenario, const ScenarioResult& result);

/// A whole report: `{"schema", "suite", "stack", "seed", "started", "ended",
/// "duration_s", "partial", "totals": {"selected", "run", "passed",
/// "failed"}, "scenarios": [scenario_json...]}`. Times are epoch seconds.
nlohmann::json report_json(const SuiteInfo& suite, const SuiteTotals& totals,
                           const nlohmann::json& scenarios);

/// A report read back (`loveless report`): what the reporters were given.
struct ParsedReport {
  SuiteInfo suite;
  SuiteTotals totals;
  struct Scenario {
    ScenarioInfo info;
    ScenarioResult result;
  };
  std::vector<Scenario> scenarios;
};

/// Parses a report `report_json` wrote. Throws `std::invalid_argument` when
/// `schema` is missing or not `kReportSchema` (saying which versions this
/// build reads), or a member has the wrong type.
ParsedReport parse_report(const nlohmann::json& report);

}  // namespace loveless::reports
