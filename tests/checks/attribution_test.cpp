#include <stdexcept>

#include <catch2/catch.hpp>

#include "checks/check_fixtures.hpp"

using namespace loveless;
using namespace loveless::testing;
using namespace std::chrono_literals;
using history::TaskOutcome;

TEST_CASE("attribute: faults on the execution's workers between its start and stop, oldest first",
          "[checks][attribution]") {
  HistoryFixture f;
  f.phases();
  f.execution(Phase::kChaos, 0, "doc-0", "FAILED", 11, 20);
  f.execution(Phase::kChaos, 1, "doc-1", "SUCCEEDED", 11, 20);
  f.task("doc-0", "CountWords", "count-words-1", 12, 14, TaskOutcome::kTimedOut, "States.Timeout");
  f.task("doc-0", "CountWords", "count-words-2", 15, 16);
  f.task("doc-0", "Merge", "merge-1", 17, 18, TaskOutcome::kFailed, "Demo.MissingCounts");
  f.task("doc-1", "CountWords", "count-words-3", 12, 13);

  f.fault(FaultKind::kKill, "count-words-1", 5);                  // before the start: not its
  f.fault(FaultKind::kPause, "count-words-2", 10.5, 2s);          // overlaps the start
  f.fault(FaultKind::kWipeScratch, "count-words-2", 16.5);        // after its task there
  f.fault(FaultKind::kKill, "count-words-1", 13);                 // during CountWords
  f.fault(FaultKind::kKill, "count-words-3", 12.5);               // another execution's worker
  f.fault(FaultKind::kRestart, "merge-1", 21);                    // after the stop
  f.fault(FaultKind::kLatency, "count-words-2", 14.0, 500ms);     // before its task there
  f.fault(FaultKind::kKill, "merge-1", 17.5).applied_ok = false;  // never applied

  const auto evidence = checks::attribute(f.history, *f.history.execution(execution_arn("doc-0")));
  REQUIRE(evidence.size() == 4);
  CHECK(evidence[0].text ==
        "pause (2 s) of count-words-2 at +10.5 s, 4.5 s before it ran CountWords of this "
        "execution [pause injector]");
  CHECK(evidence[1].text ==
        "kill of count-words-1 at +13.0 s, while it ran CountWords of this execution [kill "
        "injector]");
  CHECK(evidence[2].text ==
        "latency (500 ms) of count-words-2 at +14.0 s, 1 s before it ran CountWords of this "
        "execution [latency injector]");
  CHECK(evidence[3].text ==
        "wipe-scratch of count-words-2 at +16.5 s, 500 ms after it ran CountWords of this "
        "execution [wipe-scratch injector]");
  CHECK(evidence[1].data["fault"] == 4);
  CHECK(evidence[1].data["kind"] == "kill");
  CHECK(evidence[1].data["worker"] == "count-words-1");
  CHECK(evidence[1].data["execution"] == execution_arn("doc-0"));
  CHECK(evidence[1].data["state"] == "CountWords");
  CHECK(evidence[1].data["applied_s"] == 13.0);
  CHECK(evidence[3].data["relation"] == "after");
}

TEST_CASE("attribute: an execution still running is attributed faults to the end of the history",
          "[checks][attribution]") {
  HistoryFixture f;
  f.phases();
  f.execution(Phase::kChaos, 0, "doc-0", "RUNNING", 11, std::nullopt);
  f.task("doc-0", "CountWords", "count-words-1", 12, std::nullopt);
  f.fault(FaultKind::kKill, "count-words-1", 29);
  const auto evidence = checks::attribute(f.history, *f.history.execution(execution_arn("doc-0")));
  REQUIRE(evidence.size() == 1);
  CHECK(evidence[0].text ==
        "kill of count-words-1 at +29.0 s, while it ran CountWords of this execution [kill "
        "injector]");

  // No tasks, no workers: nothing to attribute.
  f.execution(Phase::kChaos, 1, "doc-1", "FAILED", 11, 12);
  CHECK(checks::attribute(f.history, *f.history.execution(execution_arn("doc-1"))).empty());
}

namespace {

class ThrowingCheck final : public checks::Check {
 public:
  [[nodiscard]] std::string name() const override { return "throws"; }
  [[nodiscard]] checks::Verdict evaluate(const history::History& /*history*/) const override {
    throw std::runtime_error("boom");
  }
};

class ThrowingAnything final : public checks::Check {
 public:
  [[nodiscard]] std::string name() const override { return "throws an int"; }
  [[nodiscard]] checks::Verdict evaluate(const history::History& /*history*/) const override {
    throw 42;
  }
};

}  // namespace

TEST_CASE("judge turns a throwing check into unknown with the error as evidence",
          "[checks][judge]") {
  const HistoryFixture f;
  auto verdict = checks::judge(ThrowingCheck(), f.history);
  CHECK(verdict.check == "throws");
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "the check threw an exception");
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text == "exception: boom");

  verdict = checks::judge(ThrowingAnything(), f.history);
  CHECK(verdict.check == "throws an int");
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "the check threw a non-standard exception");
}

TEST_CASE("every built-in check is unknown, not failed or passed, on an empty history",
          "[checks][judge]") {
  using namespace std::chrono_literals;
  const HistoryFixture f;
  for (const auto& check :
       {checks::all_executions_succeed(), checks::all_executions_end_in("FAILED"),
        checks::outputs_match_control(), checks::no_local_state_reliance(),
        checks::recovery_time().p95() < 15s, checks::time_to_detect().max() < 5s,
        checks::duration_inflation() < 3.0}) {
    const auto verdict = f.judge(check);
    INFO(verdict.check << ": " << verdict.summary);
    CHECK(verdict.outcome == Outcome::kUnknown);
    CHECK(!verdict.summary.empty());
  }
}
