#include <catch2/catch.hpp>

#include "checks/check_fixtures.hpp"

using namespace loveless;
using namespace loveless::testing;
using checks::duration_inflation;

TEST_CASE("duration_inflation passes when chaos took less than bound x control",
          "[checks][inflation]") {
  HistoryFixture f;
  f.phases(10, 25);  // control 10 s, chaos 15 s
  const auto check = duration_inflation() < 2.0;
  CHECK(check->name() == "duration inflation < 2.00");
  const auto verdict = f.judge(check);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "chaos took 1.50x control (15 s vs 10 s), below the bound 2.00x");
  REQUIRE(verdict.evidence.size() == 2);
  CHECK(verdict.evidence[0].text == "control phase took 10 s (+0.0 s to +10.0 s, phase window)");
  CHECK(verdict.evidence[1].text == "chaos phase took 15 s (+10.0 s to +25.0 s, phase window)");
  CHECK(verdict.measurements["inflation"] == 1.5);
  CHECK(verdict.measurements["control_ms"] == 10000);
  CHECK(verdict.measurements["chaos_ms"] == 15000);
}

TEST_CASE("duration_inflation fails when chaos took bound x control or more",
          "[checks][inflation]") {
  HistoryFixture f;
  f.phases(10, 25);
  auto verdict = f.judge(duration_inflation() < 1.5);
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary == "chaos took 1.50x control (15 s vs 10 s), not below the bound 1.50x");
  CHECK(verdict.evidence.size() == 2);
}

TEST_CASE("duration_inflation measures executions when the history has no phase windows",
          "[checks][inflation]") {
  HistoryFixture f;
  f.execution(Phase::kControl, 0, "a", "SUCCEEDED", 0, 2);
  f.execution(Phase::kControl, 1, "b", "SUCCEEDED", 0.5, 4);
  f.execution(Phase::kChaos, 0, "c", "SUCCEEDED", 10, 13);
  // Still running at the end: counts until its last history event.
  auto& running = f.execution(Phase::kChaos, 1, "d", "RUNNING", 10.5, std::nullopt);
  EventLog log;
  log.execution_started(10.5);
  log.task_entered("CountWords", 1, 18);
  running.events = log.events;
  const auto verdict = f.judge(duration_inflation() < 3.0);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "chaos took 2.00x control (8 s vs 4 s), below the bound 3.00x");
  CHECK(verdict.evidence.at(0).text ==
        "control phase took 4 s (+0.0 s to +4.0 s, first execution start to last end)");
}

TEST_CASE("duration_inflation is unknown without both phases", "[checks][inflation]") {
  HistoryFixture f;
  f.execution(Phase::kControl, 0, "a", "SUCCEEDED", 0, 2);
  auto verdict = f.judge(duration_inflation() < 3.0);
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "no chaos phase to compare durations with");
  CHECK(verdict.evidence.empty());

  HistoryFixture g;
  g.history.phases = {{Phase::kControl, at(0), at(0)}, {Phase::kChaos, at(0), at(5)}};
  verdict = g.judge(duration_inflation() < 3.0);
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "the control phase took no measurable time");
}
