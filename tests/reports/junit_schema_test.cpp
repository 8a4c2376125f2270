// The JUnit report against junit.xsd (the Ant/Jenkins shape CI readers take),
// with xmllint.
#include "junit_schema.hpp"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "junit_reporter.hpp"
#include "report_fixtures.hpp"
#include "support/temp_dir.hpp"

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
