#include "json_reporter.hpp"

#include "loveless/reports/report_json.hpp"

#include "report_support.hpp"

namespace loveless::reports {
namespace {

/// Indented JSON; bytes that are not UTF-8 (a worker's error text) become
/// U+FFFD instead of failing the report.
std::string dump(const nlohmann::json& report) {
  return report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

JsonReporter::JsonReporter(std::filesystem::path file, std::ostream* notices)
    : destination_(std::move(file), notices) {}

JsonReporter::JsonReporter(std::ostream& out) : destination_(out) {}

void JsonReporter::suite_started(const SuiteInfo& suite) { suite_ = suite; }

void JsonReporter::scenario_started(const ScenarioInfo& /*scenario*/) {}

void JsonReporter::scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) {
  scenarios_.push_back(scenario_json(scenario, result));
}

void JsonReporter::suite_ended(const SuiteTotals& totals) {
  const auto text = dump(report_json(suite_, totals, scenarios_));
  destination_.deliver(text);
}

JsonDirectoryReporter::JsonDirectoryReporter(std::filesystem::path dir, std::ostream* notices)
    : dir_(std::move(dir)), notices_(notices) {}

void JsonDirectoryReporter::suite_started(const SuiteInfo& suite) { suite_ = suite; }

void JsonDirectoryReporter::scenario_started(const ScenarioInfo& /*scenario*/) {}

void JsonDirectoryReporter::scenario_ended(const ScenarioInfo& scenario,
                                           const ScenarioResult& result) {
  SuiteInfo suite = suite_;
  suite.scenarios = {scenario};
  if (!result.history.phases.empty()) suite.started = result.history.phases.front().start;
  SuiteTotals totals;
  totals.selected = 1;
  totals.run = 1;
  totals.passed = result.passed ? 1 : 0;
  totals.failed = result.passed ? 0 : 1;
  totals.interrupted = result.history.partial;
  totals.ended = suite.started + run_duration(result.history);
  const auto path = dir_ / (slug(scenario.name) + ".json");
  write_report_file(
      path,
      dump(report_json(suite, totals, nlohmann::json::array({scenario_json(scenario, result)}))),
      notices_);
}

void JsonDirectoryReporter::suite_ended(const SuiteTotals& /*totals*/) {}

}  // namespace loveless::reports
