#pragma once

// A recorded suite for the reporter tests: five scenarios whose histories and
// verdicts are built in code (times at seconds after kT0, as the check tests
// build theirs), covering a pass with faults, a [!shouldfail] scenario caught
// and one missed, unknown verdicts, evidence that needs escaping, and a run
// cut short.

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "loveless/reports/reporter.hpp"

#include "checks/check_fixtures.hpp"

namespace loveless::testing {

struct RecordedScenario {
  reports::ScenarioInfo info;
  reports::ScenarioResult result;
};

struct RecordedSuite {
  reports::SuiteInfo suite;
  std::vector<RecordedScenario> scenarios;
  reports::SuiteTotals totals;
};

inline checks::Verdict verdict(const std::string& check, checks::Outcome outcome,
                               const std::string& summary,
                               const std::vector<std::string>& evidence = {},
                               nlohmann::json measurements = nlohmann::json::object()) {
  checks::Verdict made{check,
                       outcome,
                       summary,
                       {},
                       std::move(measurements),
                       {history::Phase::kControl, history::Phase::kChaos}};
  for (const auto& text : evidence) made.evidence.push_back({text, {{"text_length", text.size()}}});
  return made;
}

/// Two inputs per phase; the chaos execution of input 1 as `chaos_status`.
inline HistoryFixture two_inputs(const std::string& run_id,
                                 const std::string& chaos_status = "SUCCEEDED") {
  HistoryFixture fixture;
  fixture.history.seed = 42;
  fixture.history.run_id = run_id;
  fixture.phases();
  fixture.execution(Phase::kControl, 0, "doc-0-control", "SUCCEEDED", 0.5, 4.0, {{"count", 3}});
  fixture.execution(Phase::kControl, 1, "doc-1-control", "SUCCEEDED", 0.5, 5.0, {{"count", 4}});
  fixture.execution(Phase::kChaos, 0, "doc-0-chaos", "SUCCEEDED", 10.5, 16.0, {{"count", 3}});
  fixture.execution(Phase::kChaos, 1, "doc-1-chaos", chaos_status, 10.5, 21.0,
                    chaos_status == "SUCCEEDED" ? nlohmann::json{{"count", 4}} : nullptr);
  fixture.task("doc-0-control", "CountWords", "count-words-1", 1.0, 3.0);
  fixture.task("doc-1-chaos", "CountWords", "count-words-2", 11.0, std::nullopt);
  return fixture;
}

inline RecordedSuite recorded_suite() {
  using checks::Outcome;
  RecordedSuite recorded;
  recorded.suite.suite = "demo-scenarios";
  recorded.suite.stack = "process";
  recorded.suite.seed = 42;
  recorded.suite.started = at(-1);

  {
    auto fixture = two_inputs("run-20231114-221319-4242");
    fixture.fault(FaultKind::kKill, "count-words-2", 12.0).injector =
        "kill on task started in count-words after 200 ms";
    auto& missed = fixture.fault(FaultKind::kPause, "count-words-3", 13.0, std::chrono::seconds(2));
    missed.applied_ok = false;
    missed.error = "count-words-3 had exited";
    RecordedScenario scenario;
    scenario.info = {"indexing survives workers killed mid-task",
                     {"demo", "kill"},
                     false,
                     "scenarios/demo/demo_scenarios.cpp",
                     12,
                     {"kill on task started in count-words after 200 ms, at most 10 times",
                      "pause (2 s) of a random worker of count-words every 5 s"}};
    scenario.result.history = fixture.history;
    scenario.result.verdicts = {
        verdict("all executions succeeded", Outcome::kPass,
                "4 of 4 executions succeeded (control 2 of 2, chaos 2 of 2)", {},
                {{"executions", 4}, {"as_expected", 4}}),
        verdict("recovery time p95 < 15 s", Outcome::kPass,
                "p95 recovery time 3.5 s over 1 disrupted tasks, below 15 s",
                {"kill of count-words-2 at +12.0 s disrupted CountWords of chaos execution "
                 "doc-1-chaos; recovered 3.5 s later, at +15.5 s (CountWords succeeded on "
                 "count-words-1)"},
                {{"count", 1}, {"p95_ms", 3500}, {"bound_ms", 15000}})};
    scenario.result.passed = true;
    recorded.scenarios.push_back(std::move(scenario));
  }
  {
    auto fixture = two_inputs("run-20231114-221319-4242", "FAILED");
    RecordedScenario scenario;
    scenario.info = {"tmp-handoff <caught> & \"quoted\" 'names'",
                     {"demo", "!shouldfail"},
                     true,
                     "scenarios/demo/demo_scenarios.cpp",
                     40,
                     {"wipe-scratch of all workers of count-words every 1 s"}};
    scenario.result.history = fixture.history;
    scenario.result.verdicts = {
        verdict("all executions succeeded", Outcome::kFail,
                "3 of 4 executions succeeded (control 2 of 2, chaos 1 of 2)",
                {"chaos execution doc-1-chaos (input 1) ended FAILED with Demo.MissingCounts "
                 "(no file <counts-0.json> & no \"fallback\")",
                 "a control character \x01 and a byte that is not UTF-8 \xff stay out of the XML"}),
        verdict("no local-state reliance", Outcome::kPass, "no reliance on scratch")};
    scenario.result.passed = true;
    recorded.scenarios.push_back(std::move(scenario));
  }
  {
    auto fixture = two_inputs("run-20231114-221319-4242");
    std::vector<std::string> evidence;
    for (int i = 0; i < 12; ++i) {
      evidence.push_back("disrupted task " + std::to_string(i) + " completed without a failure");
    }
    RecordedScenario scenario;
    scenario.info = {"nothing to judge", {"unknown"}, false, "tests/t.cpp", 7, {}};
    scenario.result.history = fixture.history;
    scenario.result.verdicts = {
        verdict("all executions succeeded", Outcome::kPass, "4 of 4 executions succeeded"),
        verdict("time to detect p99 < 5 s", Outcome::kUnknown,
                "nothing to detect: every disrupted task completed anyway", evidence)};
    scenario.result.passed = false;
    recorded.scenarios.push_back(std::move(scenario));
  }
  {
    auto fixture = two_inputs("run-20231114-221319-4242");
    RecordedScenario scenario;
    scenario.info = {"flawed variant missed", {"!shouldfail"}, true, "tests/t.cpp", 9, {}};
    scenario.result.history = fixture.history;
    // An unknown verdict is no failure: the outcome line names it.
    scenario.result.verdicts = {
        verdict("all executions succeeded", Outcome::kPass, "4 of 4 executions succeeded"),
        verdict("no local-state reliance", Outcome::kUnknown,
                "no cold phase: the aws stack cannot run every task on a fresh worker")};
    scenario.result.passed = false;
    recorded.scenarios.push_back(std::move(scenario));
  }
  {
    auto fixture = two_inputs("run-20231114-221319-4242", "RUNNING");
    fixture.history.partial = true;
    RecordedScenario scenario;
    scenario.info = {"cut short", {"long"}, false, "tests/t.cpp", 11, {}};
    scenario.result.history = fixture.history;
    scenario.result.verdicts = {
        verdict("all executions succeeded", Outcome::kFail,
                "3 of 4 executions succeeded (control 2 of 2, chaos 1 of 2)",
                {"chaos execution doc-1-chaos (input 1) was still RUNNING when the run ended"})};
    scenario.result.passed = false;
    recorded.scenarios.push_back(std::move(scenario));
  }
  for (auto& scenario : recorded.scenarios) {
    scenario.result.history.scenario = scenario.info.name;
    recorded.suite.scenarios.push_back(scenario.info);
  }
  recorded.totals = {5, 5, 2, 3, true, at(31)};
  return recorded;
}

/// Feeds `recorded` to `reporter` as the suite would.
inline void play(reports::Reporter& reporter, const RecordedSuite& recorded) {
  reporter.suite_started(recorded.suite);
  for (const auto& scenario : recorded.scenarios) {
    reporter.scenario_started(scenario.info);
    reporter.scenario_ended(scenario.info, scenario.result);
  }
  reporter.suite_ended(recorded.totals);
}

/// What a `Reporter` writing to a stream (constructed as `Reporter(out,
/// args...)`) writes for `recorded`.
template <typename Reporter, typename... Args>
std::string rendered(const RecordedSuite& recorded, Args&&... args) {
  std::ostringstream out;
  Reporter reporter(out, std::forward<Args>(args)...);
  play(reporter, recorded);
  return out.str();
}

}  // namespace loveless::testing
