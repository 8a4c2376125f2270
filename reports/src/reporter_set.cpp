#include <string>

#include "loveless/reports/reporter.hpp"

namespace loveless::reports {

void ReporterSet::add(std::unique_ptr<Reporter> reporter) {
  reporters_.push_back(std::move(reporter));
}

template <typename Hook>
void ReporterSet::each(Hook hook) {
  std::string errors;
  for (const auto& reporter : reporters_) {
    try {
      hook(*reporter);
    } catch (const ReportWriteError& e) {
      errors += (errors.empty() ? "" : "; ") + std::string(e.what());
    }
  }
  if (!errors.empty()) throw ReportWriteError(errors);
}

void ReporterSet::suite_started(const SuiteInfo& suite) {
  each([&](Reporter& reporter) { reporter.suite_started(suite); });
}

void ReporterSet::scenario_started(const ScenarioInfo& scenario) {
  each([&](Reporter& reporter) { reporter.scenario_started(scenario); });
}

void ReporterSet::scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) {
  each([&](Reporter& reporter) { reporter.scenario_ended(scenario, result); });
}

void ReporterSet::suite_ended(const SuiteTotals& totals) {
  each([&](Reporter& reporter) { reporter.suite_ended(totals); });
}

}  // namespace loveless::reports
