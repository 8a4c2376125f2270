#include "loveless/reports/report_json.hpp"

#include <stdexcept>

#include "report_support.hpp"

namespace loveless::reports {
namespace {

double seconds_of(std::chrono::milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

checks::Outcome outcome_named(const std::string& name) {
  for (const auto outcome :
       {checks::Outcome::kPass, checks::Outcome::kFail, checks::Outcome::kUnknown}) {
    if (checks::to_string(outcome) == name) return outcome;
  }
  throw std::invalid_argument("a verdict's outcome is pass, fail or unknown, not '" + name + "'");
}

checks::Verdict verdict_from(const nlohmann::json& json) {
  checks::Verdict verdict;
  verdict.check = json.at("check").get<std::string>();
  verdict.outcome = outcome_named(json.at("outcome").get<std::string>());
  verdict.summary = json.value("summary", "");
  for (const auto& item : json.value("evidence", nlohmann::json::array())) {
    verdict.evidence.push_back(
        {item.at("text").get<std::string>(), item.value("data", nlohmann::json::object())});
  }
  verdict.measurements = json.value("measurements", nlohmann::json::object());
  // Reports written before verdicts named their phases have none: JUnit then
  // gives the check no time.
  for (const auto& phase : json.value("phases", nlohmann::json::array())) {
    const auto name = phase.get<std::string>();
    const auto named = history::phase_named(name);
    if (!named) {
      throw std::invalid_argument("a verdict's phase is control, cold or chaos, not '" + name +
                                  "'");
    }
    verdict.phases.push_back(*named);
  }
  return verdict;
}

ParsedReport::Scenario scenario_from(const nlohmann::json& json) {
  ParsedReport::Scenario scenario;
  auto& info = scenario.info;
  info.name = json.at("scenario").get<std::string>();
  info.tags = json.value("tags", std::vector<std::string>{});
  info.should_fail = json.value("should_fail", false);
  if (const auto source = json.find("source"); source != json.end() && source->is_object()) {
    info.source_file = source->value("file", "");
    info.source_line = source->value("line", 0);
  }
  if (const auto plan = json.find("fault_plan"); plan != json.end() && plan->is_object()) {
    info.injectors = plan->value("injectors", std::vector<std::string>{});
  }
  auto& result = scenario.result;
  result.passed = json.at("passed").get<bool>();
  for (const auto& verdict : json.value("verdicts", nlohmann::json::array())) {
    result.verdicts.push_back(verdict_from(verdict));
  }
  result.history = history::history_from_json(json.value("history", nlohmann::json::object()));
  return scenario;
}

}  // namespace

nlohmann::json verdict_json(const checks::Verdict& verdict) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& item : verdict.evidence) {
    evidence.push_back({{"text", item.text}, {"data", item.data}});
  }
  nlohmann::json phases = nlohmann::json::array();
  for (const auto phase : verdict.phases) phases.push_back(history::to_string(phase));
  return {{"check", verdict.check},
          {"outcome", checks::to_string(verdict.outcome)},
          {"summary", verdict.summary},
          {"evidence", std::move(evidence)},
          {"measurements", verdict.measurements},
          {"phases", std::move(phases)}};
}

nlohmann::json scenario_json(const ScenarioInfo& scenario, const ScenarioResult& result) {
  nlohmann::json verdicts = nlohmann::json::array();
  for (const auto& verdict : result.verdicts) verdicts.push_back(verdict_json(verdict));
  return {{"scenario", scenario.name},
          {"tags", scenario.tags},
          {"should_fail", scenario.should_fail},
          {"source", {{"file", scenario.source_file}, {"line", scenario.source_line}}},
          {"passed", result.passed},
          {"partial", result.history.partial},
          {"duration_s", seconds_of(run_duration(result.history))},
          {"checks",
           {{"pass", count_outcome(result.verdicts, checks::Outcome::kPass)},
            {"fail", count_outcome(result.verdicts, checks::Outcome::kFail)},
            {"unknown", count_outcome(result.verdicts, checks::Outcome::kUnknown)}}},
          {"fault_plan", {{"seed", result.history.seed}, {"injectors", scenario.injectors}}},
          {"verdicts", std::move(verdicts)},
          {"history", history::to_json(result.history)}};
}

nlohmann::json report_json(const SuiteInfo& suite, const SuiteTotals& totals,
                           const nlohmann::json& scenarios) {
  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(totals.ended - suite.started);
  return {{"schema", kReportSchema},
          {"suite", suite.suite},
          {"stack", suite.stack},
          {"seed", suite.seed},
          {"started", history::to_epoch_seconds(suite.started)},
          {"ended", history::to_epoch_seconds(totals.ended)},
          {"duration_s", seconds_of(std::max(duration, std::chrono::milliseconds(0)))},
          {"partial", totals.interrupted},
          {"totals",
           {{"selected", totals.selected},
            {"run", totals.run},
            {"passed", totals.passed},
            {"failed", totals.failed}}},
          {"scenarios", scenarios}};
}

ParsedReport parse_report(const nlohmann::json& report) {
  if (!report.is_object() || !report.contains("schema")) {
    throw std::invalid_argument(std::string("not a Loveless report: it has no \"schema\" member "
                                            "(this build reads ") +
                                kReportSchema + ")");
  }
  const auto schema = report.at("schema").get<std::string>();
  if (schema != kReportSchema) {
    throw std::invalid_argument("a report of schema " + schema + ": this build reads " +
                                kReportSchema + " only");
  }
  try {
    ParsedReport parsed;
    parsed.suite.suite = report.value("suite", "");
    parsed.suite.stack = report.value("stack", "");
    parsed.suite.seed = report.value("seed", std::uint64_t{0});
    parsed.suite.started = history::from_epoch_seconds(report.value("started", 0.0));
    for (const auto& scenario : report.at("scenarios")) {
      parsed.scenarios.push_back(scenario_from(scenario));
      parsed.suite.scenarios.push_back(parsed.scenarios.back().info);
    }
    const auto totals = report.value("totals", nlohmann::json::object());
    parsed.totals.selected = totals.value("selected", parsed.scenarios.size());
    parsed.totals.run = totals.value("run", parsed.scenarios.size());
    parsed.totals.passed = totals.value("passed", std::size_t{0});
    parsed.totals.failed = totals.value("failed", std::size_t{0});
    parsed.totals.interrupted = report.value("partial", false);
    parsed.totals.ended = history::from_epoch_seconds(report.value("ended", 0.0));
    return parsed;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("a malformed report: ") + e.what());
  }
}

}  // namespace loveless::reports
