#include "junit_reporter.hpp"

#include <cstdio>
#include <sstream>

#include "loveless/timestamps/timestamps.hpp"

#include "report_support.hpp"
#include "xml_text.hpp"

namespace loveless::reports {
namespace {

/// `2023-11-14T22:13:20`: UTC, without a zone, as the Ant schema's timestamp.
std::string iso_timestamp(history::TimePoint at) {
  std::string text = timestamps::format_rfc3339(at);
  text.pop_back();  // the Z
  return text;
}

std::string attribute(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + xml_escape(value, true) + "\"";
}

std::string evidence_text(const checks::Verdict& verdict) {
  std::string text;
  for (const auto& item : verdict.evidence) text += item.text + "\n";
  return text;
}

/// One testcase and what it adds to the suite's counts.
struct Testcase {
  std::string xml;
  bool failure = false;
  bool skipped = false;
};

/// The wall time of the phases `verdict` judges, as `history` recorded them.
std::chrono::milliseconds judged_time(const history::History& history,
                                      const checks::Verdict& verdict) {
  std::chrono::milliseconds total{0};
  for (const auto phase : verdict.phases) {
    if (const auto* window = history.window(phase)) {
      total += std::chrono::duration_cast<std::chrono::milliseconds>(window->end - window->start);
    }
  }
  return total;
}

Testcase check_testcase(const ScenarioInfo& scenario, const ScenarioResult& result,
                        const checks::Verdict& verdict) {
  Testcase testcase;
  std::string body;
  const auto evidence = evidence_text(verdict);
  switch (verdict.outcome) {
    case checks::Outcome::kPass:
      body =
          "      <system-out>" + xml_escape(verdict.summary + "\n" + evidence) + "</system-out>\n";
      break;
    case checks::Outcome::kFail:
      if (scenario.should_fail) {
        body = "      <system-out>" +
               xml_escape("expected to fail ([!shouldfail]), and it did: " + verdict.summary +
                          "\n" + evidence) +
               "</system-out>\n";
      } else {
        testcase.failure = true;
        body = "      <failure" + attribute("message", verdict.summary) +
               attribute("type", "fail") + ">" + xml_escape(evidence) + "</failure>\n";
      }
      break;
    case checks::Outcome::kUnknown:
      testcase.skipped = true;
      body = "      <skipped" + attribute("message", "unknown: " + verdict.summary) + "/>\n";
      if (!evidence.empty())
        body += "      <system-out>" + xml_escape(evidence) + "</system-out>\n";
      break;
  }
  testcase.xml = "    <testcase" + attribute("classname", scenario.name) +
                 attribute("name", verdict.check) +
                 attribute("time", seconds_text(judged_time(result.history, verdict))) + ">\n" +
                 body + "    </testcase>\n";
  return testcase;
}

/// The failing `scenario verdict` testcase of a scenario that failed with no
/// failed check to show for it.
Testcase verdict_testcase(const ScenarioInfo& scenario, const ScenarioResult& result) {
  std::string message;
  std::string type;
  if (scenario.should_fail) {
    message = "expected to fail ([!shouldfail]), but no check failed" +
              undecided_checks_note(result.verdicts);
    type = "shouldfail";
  } else {
    message = std::to_string(count_outcome(result.verdicts, checks::Outcome::kUnknown)) +
              " check(s) could not decide: unknown is not a pass";
    type = "unknown";
  }
  Testcase testcase;
  testcase.failure = true;
  testcase.xml = "    <testcase" + attribute("classname", scenario.name) +
                 attribute("name", "scenario verdict") +
                 attribute("time", seconds_text(run_duration(result.history))) + ">\n" +
                 "      <failure" + attribute("message", message) + attribute("type", type) + ">" +
                 xml_escape(message) + "</failure>\n    </testcase>\n";
  return testcase;
}

std::string property(const std::string& name, const std::string& value) {
  return "      <property" + attribute("name", name) + attribute("value", value) + "/>\n";
}

}  // namespace

JunitReporter::JunitReporter(std::filesystem::path file, std::ostream* notices)
    : destination_(std::move(file), notices) {}

JunitReporter::JunitReporter(std::ostream& out) : destination_(out) {}

void JunitReporter::suite_started(const SuiteInfo& suite) { suite_ = suite; }

void JunitReporter::scenario_started(const ScenarioInfo& /*scenario*/) {}

void JunitReporter::scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) {
  std::vector<Testcase> testcases;
  for (const auto& verdict : result.verdicts)
    testcases.push_back(check_testcase(scenario, result, verdict));
  bool any_failure = false;
  for (const auto& testcase : testcases) any_failure = any_failure || testcase.failure;
  if (!result.passed && !any_failure) testcases.push_back(verdict_testcase(scenario, result));

  std::size_t failures = 0;
  std::size_t skipped = 0;
  std::string cases;
  for (const auto& testcase : testcases) {
    failures += testcase.failure ? 1 : 0;
    skipped += testcase.skipped ? 1 : 0;
    cases += testcase.xml;
  }
  const auto& history = result.history;
  const auto duration = run_duration(history);
  const auto started = history.phases.empty() ? suite_.started : history.phases.front().start;
  std::string xml = "  <testsuite" + attribute("name", scenario.name) +
                    attribute("tests", std::to_string(testcases.size())) +
                    attribute("failures", std::to_string(failures)) + attribute("errors", "0") +
                    attribute("skipped", std::to_string(skipped)) +
                    attribute("time", seconds_text(duration)) +
                    attribute("timestamp", iso_timestamp(started)) + ">\n    <properties>\n";
  xml += property("seed", std::to_string(history.seed));
  xml += property("stack", history.stack);
  xml += property("run_id", history.run_id);
  xml += property("tags", tags_text(scenario.tags));
  xml += property("should_fail", scenario.should_fail ? "true" : "false");
  xml += property("passed", result.passed ? "true" : "false");
  xml += property("partial", history.partial ? "true" : "false");
  if (!scenario.source_file.empty()) {
    xml += property("source", scenario.source_file + ":" + std::to_string(scenario.source_line));
  }
  for (const auto& injector : scenario.injectors) xml += property("injector", injector);
  xml += "    </properties>\n" + cases;
  if (history.partial) {
    xml +=
        "    <system-out>partial: the run was cut short; the verdicts judge what it "
        "recorded</system-out>\n";
  }
  xml += "  </testsuite>\n";

  testsuites_ += xml;
  tests_ += testcases.size();
  failures_ += failures;
  skipped_ += skipped;
  time_ += duration;
}

void JunitReporter::suite_ended(const SuiteTotals& /*totals*/) {
  std::ostringstream document;
  document << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           << "<testsuites" << attribute("name", suite_.suite)
           << attribute("tests", std::to_string(tests_))
           << attribute("failures", std::to_string(failures_)) << attribute("errors", "0")
           << attribute("skipped", std::to_string(skipped_))
           << attribute("time", seconds_text(time_)) << ">\n"
           << testsuites_ << "</testsuites>\n";
  destination_.deliver(document.str());
}

}  // namespace loveless::reports
