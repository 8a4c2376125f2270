// The JUnit report against junit.xsd (the Ant/Jenkins shape CI readers take),
// with xmllint.
#include "junit_schema.hpp"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "junit_reporter.hpp"
#include "report_fixtures.hpp"
#include "support/temp_dir.hpp"
#include "xml_text.hpp"

using namespace loveless;
using namespace loveless::testing;

TEST_CASE("the JUnit report of a recorded suite validates against the JUnit schema", "[reports]") {
  const TempDir dir;
  const auto file = dir.path() / "junit.xml";
  reports::JunitReporter reporter(file, nullptr);
  play(reporter, recorded_suite());
  const auto check = check_junit_schema(file);
  INFO(check.output);
  CHECK(check.status == 0);
}

TEST_CASE("the schema check rejects JUnit that breaks the schema", "[reports]") {
  const TempDir dir;
  const auto file = dir.path() / "broken.xml";
  // A testcase without a name, a negative time, and a failure outside a testcase.
  std::ofstream(file) << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<testsuites><testsuite name=\"s\" tests=\"1\" time=\"-1\">"
                         "<testcase classname=\"s\"/><failure message=\"m\"/>"
                         "</testsuite></testsuites>\n";
  const auto check = check_junit_schema(file);
  INFO(check.output);
  CHECK(check.status != 0);
  CHECK(check.status != 127);
  CHECK(check.output.find("fails to validate") != std::string::npos);
}

TEST_CASE("the JUnit report of an empty suite validates too", "[reports]") {
  const TempDir dir;
  const auto file = dir.path() / "junit.xml";
  reports::JunitReporter reporter(file, nullptr);
  auto recorded = recorded_suite();
  recorded.scenarios.clear();
  play(reporter, recorded);
  const auto check = check_junit_schema(file);
  INFO(check.output);
  CHECK(check.status == 0);
}

TEST_CASE("each JUnit testcase carries the wall time of the phases its check judges", "[reports]") {
  auto recorded = recorded_suite();
  auto& scenario = recorded.scenarios.front();
  auto& history = scenario.result.history;
  const auto start = history.phases.front().start;
  history.phases = {
      {history::Phase::kControl, start, start + std::chrono::seconds(2)},
      {history::Phase::kCold, start + std::chrono::seconds(2),
       start + std::chrono::milliseconds(2500)},
      {history::Phase::kChaos, start + std::chrono::seconds(3), start + std::chrono::seconds(8)}};
  auto& verdicts = scenario.result.verdicts;
  REQUIRE(verdicts.size() >= 2);
  verdicts[0].phases = {history::Phase::kChaos};
  verdicts[1].phases = {history::Phase::kControl, history::Phase::kCold, history::Phase::kChaos};
  recorded.scenarios.resize(1);
  const auto xml = rendered<reports::JunitReporter>(recorded);
  INFO(xml);
  const auto testcase = [&](const std::string& check) {
    return "<testcase classname=\"" + scenario.info.name + "\" name=\"" + check + "\"";
  };
  CHECK(xml.find(testcase(verdicts[0].check) + " time=\"5.000\"") != std::string::npos);
  CHECK(xml.find(testcase(reports::xml_escape(verdicts[1].check, true)) + " time=\"7.500\"") !=
        std::string::npos);
  // The scenario's own time: first phase start to last phase end.
  CHECK(xml.find("tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"8.000\"") !=
        std::string::npos);
}
