// Reporter output on a recorded suite, approved against baselines/ with
// times, durations and run ids normalised (approval.hpp).
#include <sstream>

#include <catch2/catch.hpp>

#include "loveless/reports/report_json.hpp"

#include "approval.hpp"
#include "console_reporter.hpp"
#include "json_reporter.hpp"
#include "junit_reporter.hpp"
#include "report_fixtures.hpp"

namespace {

using namespace loveless;
using namespace loveless::testing;

std::string console_of(const RecordedSuite& recorded, bool verbose) {
  return rendered<reports::ConsoleReporter>(recorded, verbose);
}

std::string junit_of(const RecordedSuite& recorded) {
  return rendered<reports::JunitReporter>(recorded);
}

std::string json_of(const RecordedSuite& recorded) {
  return rendered<reports::JsonReporter>(recorded);
}

}  // namespace

TEST_CASE("the console reporter prints each verdict and a summary table as approved", "[reports]") {
  const auto text = console_of(recorded_suite(), false);
  approve("console.txt", normalise_run_ids(normalise_table_durations(text)));
}

TEST_CASE("the verbose console prints every evidence item", "[reports]") {
  const auto quiet = console_of(recorded_suite(), false);
  const auto verbose = console_of(recorded_suite(), true);
  CHECK(quiet.find("disrupted task 11 completed") == std::string::npos);
  CHECK(quiet.find("... 4 more (-v shows all)") != std::string::npos);
  CHECK(verbose.find("disrupted task 11 completed") != std::string::npos);
  CHECK(verbose.find("more (-v shows all)") == std::string::npos);
}

TEST_CASE("the JUnit reporter writes a testsuite per scenario and a testcase per check as approved",
          "[reports]") {
  auto xml = junit_of(recorded_suite());
  xml = normalise_attribute(xml, "time", "<seconds>");
  xml = normalise_attribute(xml, "timestamp", "<time>");
  approve("junit.xml", normalise_run_ids(xml));
}

TEST_CASE("the JSON reporter writes the whole suite under its schema as approved", "[reports]") {
  const auto report = nlohmann::json::parse(json_of(recorded_suite()));
  CHECK(report.at("schema") == reports::kReportSchema);
  approve("report.json", normalise_json(report).dump(2) + "\n");
}

TEST_CASE("a JSON report renders again to the same console and JUnit output", "[reports]") {
  auto recorded = recorded_suite();
  // A byte that is not UTF-8 comes back from JSON as U+FFFD: left out here.
  for (auto& scenario : recorded.scenarios) {
    for (auto& verdict : scenario.result.verdicts) {
      for (auto& item : verdict.evidence) {
        if (item.text.find('\xff') != std::string::npos) item.text = "a plain evidence item";
      }
    }
  }
  const auto parsed = reports::parse_report(nlohmann::json::parse(json_of(recorded)));
  RecordedSuite again;
  again.suite = parsed.suite;
  again.totals = parsed.totals;
  for (const auto& scenario : parsed.scenarios) {
    again.scenarios.push_back({scenario.info, scenario.result});
  }
  CHECK(junit_of(again) == junit_of(recorded));
  CHECK(console_of(again, true) == console_of(recorded, true));
  CHECK(nlohmann::json::parse(json_of(again)) == nlohmann::json::parse(json_of(recorded)));
}
