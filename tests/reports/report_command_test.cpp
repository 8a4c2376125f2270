// `loveless report RUN.json -r ...` as a process: a JSON report of the
// recorded suite rendered again by the loveless command.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "approval.hpp"
#include "html_fixtures.hpp"
#include "html_reporter.hpp"
#include "json_reporter.hpp"
#include "junit_reporter.hpp"
#include "junit_schema.hpp"
#include "report_fixtures.hpp"
#include "support/temp_dir.hpp"
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;
using namespace loveless;
using namespace loveless::testing;

struct Run {
  int status = -1;
  std::string output;
};

/// `loveless ARGS` with stdout and stderr together.
Run loveless_command(const std::string& args) {
  const auto command = std::string("'") + LOVELESS_BINARY + "' " + args + " 2>&1";
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

}  // namespace

TEST_CASE("loveless report renders a JSON report again as the suite's JUnit", "[reports]") {
  const TempDir dir;
  const auto recorded = recorded_suite();
  const auto json = dir.path() / "run.json";
  {
    reports::JsonReporter reporter(json, nullptr);
    play(reporter, recorded);
  }
  std::ostringstream direct;
  {
    reports::JunitReporter reporter(direct);
    play(reporter, recorded);
  }
  const auto junit = dir.path() / "again" / "junit.xml";
  const auto run = loveless_command("report " + quoted(json) + " -r junit::out=" + quoted(junit));
  INFO(run.output);
  // Three of the recorded scenarios failed.
  CHECK(run.status == 1);
  CHECK(run.output.find("  report " + junit.string()) != std::string::npos);
  CHECK(file_text(junit) == direct.str());
  const auto check = check_junit_schema(junit);
  INFO(check.output);
  CHECK(check.status == 0);
}

TEST_CASE("loveless report renders a JSON report again as the suite's HTML page", "[reports]") {
  const TempDir dir;
  const auto recorded = html_suite_without_invalid_utf8();
  const auto json = dir.path() / "run.json";
  {
    reports::JsonReporter reporter(json, nullptr);
    play(reporter, recorded);
  }
  std::ostringstream direct;
  {
    reports::HtmlReporter reporter(direct);
    play(reporter, recorded);
  }
  const auto html = dir.path() / "again" / "report.html";
  const auto run = loveless_command("report " + quoted(json) + " -r html::out=" + quoted(html));
  INFO(run.output);
  CHECK(run.status == 1);
  CHECK(run.output.find("  report " + html.string()) != std::string::npos);
  CHECK(file_text(html) == direct.str());
  CHECK(file_text(html).find("<li id=\"s1-exec-4\">") != std::string::npos);
}

TEST_CASE("loveless report prints the console report by default", "[reports]") {
  const TempDir dir;
  const auto json = dir.path() / "run.json";
  reports::JsonReporter reporter(json, nullptr);
  play(reporter, recorded_suite());
  const auto run = loveless_command("report " + quoted(json));
  INFO(run.output);
  CHECK(run.status == 1);
  CHECK(run.output.find("PASSED  indexing survives workers killed mid-task\n") !=
        std::string::npos);
  CHECK(run.output.find("5 scenario(s): 2 passed, 3 failed\n") != std::string::npos);
}

TEST_CASE("loveless report refuses what it cannot read with exit 2", "[reports]") {
  const TempDir dir;
  const auto old = dir.path() / "old.json";
  std::ofstream(old) << R"({"scenario": "x", "history": {}})";
  auto run = loveless_command("report " + quoted(old));
  INFO(run.output);
  CHECK(run.status == 2);
  CHECK(run.output.find("no \"schema\" member") != std::string::npos);

  run = loveless_command("report " + quoted(dir.path() / "missing.json"));
  INFO(run.output);
  CHECK(run.status == 2);
  CHECK(run.output.find("cannot read") != std::string::npos);

  run = loveless_command("report " + quoted(old) + " -r pdf::out=x.pdf");
  INFO(run.output);
  CHECK(run.status == 2);
  CHECK(run.output.find("unknown reporter 'pdf'") != std::string::npos);

  run = loveless_command("report");
  INFO(run.output);
  CHECK(run.status == 2);
  CHECK(run.output.find("report needs a JSON report") != std::string::npos);
}
