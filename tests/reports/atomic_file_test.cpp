// Reports are written whole or not at all: a failure at any point leaves the
// previous report as it was and no temporary file behind.
#include "loveless/reports/atomic_file.hpp"

#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "loveless/reports/reporter.hpp"

#include "approval.hpp"
#include "junit_reporter.hpp"
#include "report_fixtures.hpp"
#include "support/directory_names.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using loveless::testing::names_in;
using namespace loveless;
using loveless::testing::file_text;
using loveless::testing::TempDir;

}  // namespace

TEST_CASE("an atomic write replaces a report whole and leaves no temporary", "[reports]") {
  const TempDir dir;
  const auto file = dir.path() / "reports" / "report.json";
  reports::write_atomically(file, "first\n");
  CHECK(file_text(file) == "first\n");
  reports::write_atomically(file, "second\n");
  CHECK(file_text(file) == "second\n");
  CHECK(names_in(file.parent_path()) == std::set<std::string>{"report.json"});
}

TEST_CASE("a write that fails midway leaves the previous report and no temporary", "[reports]") {
  const TempDir dir;
  const auto file = dir.path() / "junit.xml";
  reports::write_atomically(file, "<previous/>\n");
  const auto half_written = [](std::ostream& out) {
    out << "<testsuites>";
    throw std::runtime_error("the renderer broke");
  };
  try {
    reports::write_atomically(file, half_written);
    FAIL("no error");
  } catch (const reports::ReportWriteError& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(message.find(file.string()) != std::string::npos);
    CHECK(message.find("the renderer broke") != std::string::npos);
    CHECK(message.find("unchanged") != std::string::npos);
  }
  CHECK(file_text(file) == "<previous/>\n");
  CHECK(names_in(dir.path()) == std::set<std::string>{"junit.xml"});
}

TEST_CASE("a report path that is not a regular file is refused and left alone", "[reports]") {
  const TempDir dir;
  const auto taken = dir.path() / "report.json";
  fs::create_directories(taken / "inside");
  CHECK_THROWS_AS(reports::write_atomically(taken, "{}"), reports::ReportWriteError);
  CHECK(fs::is_directory(taken / "inside"));
  CHECK(names_in(dir.path()) == std::set<std::string>{"report.json"});
  CHECK_THROWS_WITH(reports::write_atomically("/dev/null", "{}"),
                    Catch::Contains("is not a regular file"));
}

TEST_CASE("a report under a file posing as its directory fails with the reason", "[reports]") {
  const TempDir dir;
  reports::write_atomically(dir.path() / "not-a-dir", "x");
  CHECK_THROWS_WITH(reports::write_atomically(dir.path() / "not-a-dir" / "junit.xml", "x"),
                    Catch::Contains("cannot create the directory") && Catch::Contains("not-a-dir"));
  CHECK(file_text(dir.path() / "not-a-dir") == "x");
}

TEST_CASE("a reporter that cannot write does not keep the others from writing", "[reports]") {
  const TempDir dir;
  fs::create_directories(dir.path() / "blocked.xml");
  std::ostringstream notices;
  reports::ReporterSet reporters;
  reporters.add(std::make_unique<reports::JunitReporter>(dir.path() / "blocked.xml", &notices));
  reporters.add(std::make_unique<reports::JunitReporter>(dir.path() / "junit.xml", &notices));
  CHECK_THROWS_WITH(loveless::testing::play(reporters, loveless::testing::recorded_suite()),
                    Catch::Contains("blocked.xml"));
  CHECK(fs::is_regular_file(dir.path() / "junit.xml"));
  CHECK(notices.str() == "  report " + (dir.path() / "junit.xml").string() + "\n");
}
