// Reporter specs (`-r junit::out=FILE`), the factory, --report-dir's
// reporters, and XML escaping.
#include "loveless/reports/reporter_spec.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "junit_schema.hpp"
#include "report_fixtures.hpp"
#include "report_support.hpp"
#include "support/temp_dir.hpp"
#include "xml_text.hpp"

namespace {

namespace fs = std::filesystem;
using namespace loveless;
using loveless::testing::TempDir;

}  // namespace

TEST_CASE("reporter specs name a reporter and where it writes", "[reports]") {
  const auto console = reports::parse_reporter_spec("console");
  CHECK(console.name == "console");
  CHECK(console.to_stdout());
  const auto junit = reports::parse_reporter_spec("junit::out=reports/junit.xml");
  CHECK(junit.name == "junit");
  CHECK(junit.out == fs::path("reports/junit.xml"));
  CHECK_FALSE(junit.to_stdout());
  CHECK(reports::parse_reporter_spec("json::out=-").to_stdout());
}

TEST_CASE("a bad reporter spec says what to write instead", "[reports]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(reports::parse_reporter_spec("xml"),
                    Contains("unknown reporter 'xml'") && Contains("console, json, junit or html"));
  CHECK_THROWS_WITH(reports::parse_reporter_spec("junit:out=x.xml"), Contains("junit::out=x.xml"));
  CHECK_THROWS_WITH(reports::parse_reporter_spec("junit::file=x.xml"),
                    Contains("no option 'file'") && Contains("out=FILE"));
  CHECK_THROWS_WITH(reports::parse_reporter_spec("junit::out="), Contains("needs a file name"));
  CHECK_THROWS_WITH(reports::parse_reporter_spec("junit::out=a::out=b"), Contains("twice"));
  CHECK_THROWS_AS(reports::parse_reporter_spec(""), reports::ReporterSpecError);
}

TEST_CASE("two reporters may not share stdout or a file", "[reports]") {
  using reports::parse_reporter_spec;
  CHECK_NOTHROW(reports::check_outputs({parse_reporter_spec("console"),
                                        parse_reporter_spec("junit::out=a.xml"),
                                        parse_reporter_spec("json::out=a.json")}));
  CHECK_THROWS_WITH(
      reports::check_outputs({parse_reporter_spec("console"), parse_reporter_spec("junit")}),
      Catch::Contains("more than one reporter writes to stdout"));
  CHECK_THROWS_WITH(reports::check_outputs({parse_reporter_spec("junit::out=a.xml"),
                                            parse_reporter_spec("json::out=a.xml")}),
                    Catch::Contains("two reporters write a.xml"));
}

TEST_CASE("the report directory gets a JSON report per scenario and the suite reports",
          "[reports]") {
  const TempDir dir;
  const auto reports_dir = dir.path() / "out";
  std::ostringstream notices;
  reports::ReporterSet reporters;
  for (auto& reporter : reports::make_report_dir_reporters(reports_dir, {nullptr, &notices})) {
    reporters.add(std::move(reporter));
  }
  CHECK(fs::is_directory(reports_dir));
  const auto recorded = loveless::testing::recorded_suite();
  loveless::testing::play(reporters, recorded);
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(reports_dir)) {
    names.insert(entry.path().filename().string());
  }
  CHECK(names == std::set<std::string>{"indexing-survives-workers-killed-mid-task.json",
                                       "tmp-handoff-caught-quoted-names.json",
                                       "nothing-to-judge.json", "flawed-variant-missed.json",
                                       "cut-short.json", "report.json", "junit.xml",
                                       "report.html"});
  CHECK(notices.str().find("  report " + (reports_dir / "junit.xml").string() + "\n") !=
        std::string::npos);
  const auto check = loveless::testing::check_junit_schema(reports_dir / "junit.xml");
  INFO(check.output);
  CHECK(check.status == 0);
}

TEST_CASE("a report directory that cannot be created is refused before anything runs",
          "[reports]") {
  const TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  CHECK_THROWS_AS(reports::make_report_dir_reporters(dir.path() / "file" / "reports", {}),
                  reports::ReporterSpecError);
  CHECK_THROWS_AS(
      reports::make_reporter(
          reports::parse_reporter_spec("junit::out=" + (dir.path() / "file" / "j.xml").string()),
          {}),
      reports::ReporterSpecError);
}

TEST_CASE("XML escaping keeps markup characters and invalid bytes out of the document",
          "[reports]") {
  using reports::xml_escape;
  CHECK(xml_escape("a < b & c > d") == "a &lt; b &amp; c &gt; d");
  CHECK(xml_escape("\"quoted\" 'single'") == "&quot;quoted&quot; &apos;single&apos;");
  CHECK(xml_escape("line\nnext\ttab") == "line\nnext\ttab");
  CHECK(xml_escape("line\nnext\ttab", true) == "line&#10;next&#9;tab");
  CHECK(xml_escape("bell\x07") == "bell\xEF\xBF\xBD");
  CHECK(xml_escape("bad \xff byte") == "bad \xEF\xBF\xBD byte");
  CHECK(xml_escape("overlong \xC0\xAF") == "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(xml_escape("caf\xC3\xA9 \xE2\x9C\x93") == "caf\xC3\xA9 \xE2\x9C\x93");
}

TEST_CASE("reports count the injectors' faults, not the cold phase's disposals", "[reports]") {
  // One kill in chaos; the cold phase gave each of its tasks a fresh worker
  // with a wipe and a stop: the summary's "faults" said 3 for that one kill.
  loveless::testing::HistoryFixture fixture;
  using loveless::history::FaultKind;
  using loveless::history::Phase;
  fixture.history.phases = {{Phase::kControl, loveless::testing::at(0), loveless::testing::at(10)},
                            {Phase::kCold, loveless::testing::at(10), loveless::testing::at(20)},
                            {Phase::kChaos, loveless::testing::at(20), loveless::testing::at(30)}};
  fixture.fault(FaultKind::kWipeScratch, "w-2", 12);
  fixture.fault(FaultKind::kStop, "w-2", 12.1);
  fixture.fault(FaultKind::kKill, "w-3", 22);
  fixture.fault(FaultKind::kPause, "w-4", 23).applied_ok = false;
  const auto& history = fixture.history;
  CHECK(loveless::reports::applied_faults(history) == 1);
  CHECK(loveless::reports::injected_faults(history) == 2);
  CHECK(loveless::reports::cold_phase_disposals(history) == 2);
  CHECK(loveless::reports::cold_phase_disposal(history, history.faults[0]));
  CHECK_FALSE(loveless::reports::cold_phase_disposal(history, history.faults[2]));
}
