#include <catch2/catch.hpp>

#include "checks/check_fixtures.hpp"

using namespace loveless;
using namespace loveless::testing;
using nlohmann::json;
using scenario::TaskOutcome;

namespace {

/// The flawed tmp-handoff demo: CountWords leaves its counts in the
/// count-words worker's scratch and Merge (a Lambda environment on the same
/// host) opens them there. In control it works; in chaos the scratch is wiped
/// between the two and Merge fails.
HistoryFixture tmp_handoff() {
  HistoryFixture f;
  f.phases();
  f.execution(Phase::kControl, 0, "doc-0-control", "SUCCEEDED", 1, 3, {{"total", 10}});
  f.task("doc-0-control", "CountWords", "count-words-1", 1.0, 2.0);
  f.access("count-words-1", "counts-0.json", ScratchOperation::kCreated, 1.5);
  f.access("count-words-1", "counts-0.json", ScratchOperation::kModified, 1.6);
  f.task("doc-0-control", "Merge", "merge-1", 2.2, 2.6);
  f.access("count-words-1", "counts-0.json", ScratchOperation::kOpened, 2.3);

  auto& chaos = f.execution(Phase::kChaos, 0, "doc-0-chaos", "FAILED", 11, 16);
  chaos.error = "Demo.MissingCounts";
  f.task("doc-0-chaos", "CountWords", "count-words-2", 11.0, 12.0);
  f.access("count-words-2", "counts-0.json", ScratchOperation::kCreated, 11.5);
  f.fault(FaultKind::kWipeScratch, "count-words-2", 12.1);
  f.access("count-words-2", "counts-0.json", ScratchOperation::kDeleted, 12.1);
  f.task("doc-0-chaos", "Merge", "merge-2", 12.2, 12.5, TaskOutcome::kFailed, "Demo.MissingCounts");
  f.task("doc-0-chaos", "Merge", "merge-2", 13.5, 13.8, TaskOutcome::kFailed, "Demo.MissingCounts");
  return f;
}

/// A model file one task downloads into scratch and later tasks of other
/// executions on the same worker reuse; every output matches.
HistoryFixture harmless_cache() {
  HistoryFixture f;
  f.phases();
  for (std::size_t i = 0; i < 2; ++i) {
    const auto n = std::to_string(i);
    f.execution(Phase::kControl, i, "doc-" + n + "-control", "SUCCEEDED", 1, 5, {{"n", i}});
    f.execution(Phase::kChaos, i, "doc-" + n + "-chaos", "SUCCEEDED", 11, 15, {{"n", i}});
  }
  f.task("doc-0-control", "CountWords", "count-words-1", 1.0, 2.0);
  f.access("count-words-1", "model.bin", ScratchOperation::kOpened, 1.1);  // not there yet
  f.access("count-words-1", "model.bin", ScratchOperation::kCreated, 1.2);
  f.access("count-words-1", "model.bin", ScratchOperation::kOpened, 1.3);  // its own file
  f.task("doc-1-control", "CountWords", "count-words-1", 3.0, 4.0);
  f.access("count-words-1", "model.bin", ScratchOperation::kOpened, 3.1);
  f.access("count-words-1", "model.bin", ScratchOperation::kOpened, 3.2);
  // Deleted and created again by the chaos task before it opens it: its own.
  f.task("doc-0-chaos", "CountWords", "count-words-1", 11.0, 12.0);
  f.access("count-words-1", "model.bin", ScratchOperation::kDeleted, 11.1);
  f.access("count-words-1", "model.bin", ScratchOperation::kCreated, 11.2);
  f.access("count-words-1", "model.bin", ScratchOperation::kOpened, 11.3);
  return f;
}

}  // namespace

TEST_CASE("no_local_state_reliance passes with a harmless cache as evidence",
          "[checks][reliance]") {
  const auto f = harmless_cache();
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.check == "no local-state reliance");
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary ==
        "1 reliances on scratch left by an earlier task, none harmful: 1 harmless caches");
  REQUIRE(verdict.evidence.size() == 1);
  const auto& evidence = verdict.evidence[0];
  CHECK(evidence.text ==
        "file model.bin in count-words-1's scratch: written at +1.2 s by CountWords of control "
        "execution doc-0-control, opened at +3.1 s (after the writer ended at +2.0 s) by "
        "CountWords of control execution doc-1-control: harmless cache (nothing failed or "
        "diverged) [opened 2 times]");
  CHECK(evidence.data["file"] == "model.bin");
  CHECK(evidence.data["worker"] == "count-words-1");
  CHECK(evidence.data["verdict"] == "harmless");
  CHECK(evidence.data["opens"] == 2);
  CHECK(evidence.data["writer"]["execution"] == execution_arn("doc-0-control"));
  CHECK(evidence.data["reader"]["execution"] == execution_arn("doc-1-control"));
  CHECK(evidence.data["executions"] ==
        json::array({execution_arn("doc-0-control"), execution_arn("doc-1-control")}));
  CHECK(verdict.measurements["harmless"] == 1);
  CHECK(verdict.measurements["harmful"] == 0);
}

TEST_CASE("no_local_state_reliance passes without evidence when no task read another's files",
          "[checks][reliance]") {
  auto f = harmless_cache();
  // The chaos task's own file only.
  f.history.scratch_accesses.erase(f.history.scratch_accesses.begin(),
                                   f.history.scratch_accesses.begin() + 5);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary ==
        "no task opened a scratch file an earlier task left (3 scratch accesses recorded, by 1 "
        "workers)");
  CHECK(verdict.evidence.empty());
}

TEST_CASE("no_local_state_reliance fails on the tmp hand-off that breaks in the chaos phase",
          "[checks][reliance]") {
  const auto f = tmp_handoff();
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary ==
        "1 of 1 reliances on scratch left by an earlier task did harm (a task failed or an "
        "output diverged)");
  REQUIRE(verdict.evidence.size() == 1);
  const auto& evidence = verdict.evidence[0];
  CHECK(evidence.text ==
        "file counts-0.json in count-words-1's scratch: written at +1.6 s by CountWords of "
        "control execution doc-0-control, opened at +2.3 s (after the writer ended at +2.0 s) by "
        "Merge of control execution doc-0-control on merge-1: HARMFUL: in chaos execution "
        "doc-0-chaos (same input) Merge failed with Demo.MissingCounts (2 times); chaos "
        "execution doc-0-chaos (same input) ended FAILED");
  CHECK(evidence.data["verdict"] == "harmful");
  CHECK(evidence.data["reader"]["state"] == "Merge");
  CHECK(evidence.data["reader"]["worker"] == "merge-1");
  CHECK(evidence.data["writer"]["state"] == "CountWords");
  CHECK(evidence.data["harm"].size() == 2);
}

TEST_CASE("no_local_state_reliance: the reader failing or its output diverging is harm",
          "[checks][reliance]") {
  SECTION("the reader itself failed") {
    auto f = harmless_cache();
    f.history.tasks[1].outcome = TaskOutcome::kFailed;
    f.history.tasks[1].error = "Demo.CorruptModel";
    const auto verdict = f.judge(checks::no_local_state_reliance());
    CHECK(verdict.outcome == Outcome::kFail);
    CHECK_THAT(verdict.evidence.at(0).text,
               Catch::EndsWith("HARMFUL: the reader failed with Demo.CorruptModel [opened 2 "
                               "times]"));
  }
  SECTION("the reader's output diverged from control") {
    auto f = harmless_cache();
    f.history.executions[3].output = {{"n", 7}};  // doc-1-chaos
    const auto verdict = f.judge(checks::no_local_state_reliance());
    CHECK(verdict.outcome == Outcome::kFail);
    CHECK_THAT(verdict.evidence.at(0).text,
               Catch::Contains("HARMFUL: the chaos output diverged from control (at /n control "
                               "has 1, chaos has 7)"));
  }
}

TEST_CASE("no_local_state_reliance is unknown when scratch was not audited", "[checks][reliance]") {
  auto f = harmless_cache();
  f.history.scratch_audited = false;
  f.history.stack = "aws";
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "the stack did not audit scratch (aws): reliance cannot be judged");
  CHECK(verdict.evidence.empty());
}

TEST_CASE("no_local_state_reliance: a write just after the task ended is still the task's",
          "[checks][reliance]") {
  auto f = tmp_handoff();
  // The audit read the write 100 ms after ActivitySucceeded was recorded.
  f.history.scratch_accesses[1].at = at(2.1);
  auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK_THAT(verdict.evidence.at(0).text, Catch::Contains("written at +2.1 s by CountWords"));

  // 280 ms after: nobody's write, so nobody's file to rely on.
  f.history.scratch_accesses[1].at = at(2.28);
  verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.evidence.empty());

  // A write while another task runs on the worker is that task's.
  f.history.scratch_accesses[1].at = at(2.1);
  f.task("doc-9-control", "CountWords", "count-words-1", 2.05, 2.5);
  verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.evidence.empty());
}

TEST_CASE("no_local_state_reliance: an open no known task made is reported, not judged",
          "[checks][reliance]") {
  auto f = harmless_cache();
  f.access("count-words-1", "model.bin", ScratchOperation::kOpened, 20.0);  // between tasks
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary ==
        "2 reliances on scratch left by an earlier task, none harmful: 1 harmless caches, 1 "
        "opened by no known task");
  REQUIRE(verdict.evidence.size() == 2);
  CHECK_THAT(verdict.evidence[1].text,
             Catch::EndsWith("opened at +20.0 s (after the writer ended at +12.0 s) by no known "
                             "task (no task of that execution, and none on count-words-1, ran "
                             "then): not judged"));
  CHECK(verdict.evidence[1].data["verdict"] == "reader unknown");
}

TEST_CASE("no_local_state_reliance: a wiped directory forgets the files under it",
          "[checks][reliance]") {
  auto f = harmless_cache();
  f.history.scratch_accesses.clear();
  f.access("count-words-1", "cache", ScratchOperation::kCreated, 1.2);
  f.access("count-words-1", "cache/a", ScratchOperation::kCreated, 1.3);
  f.access("count-words-1", "cache", ScratchOperation::kDeleted, 2.5);
  f.access("count-words-1", "cache/a", ScratchOperation::kOpened, 3.1);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.evidence.empty());
}

TEST_CASE("no_local_state_reliance caps its evidence at 20 reliances and counts the rest",
          "[checks][reliance]") {
  auto f = harmless_cache();
  f.history.scratch_accesses.clear();
  for (int i = 0; i < 30; ++i) {
    const auto file = "chunk-" + std::to_string(i);
    f.access("count-words-1", file, ScratchOperation::kCreated, 1.5);
    f.access("count-words-1", file, ScratchOperation::kOpened, 3.5);
  }
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["reliances"] == 30);
  REQUIRE(verdict.evidence.size() == 21);
  CHECK(verdict.evidence[20].text == "... and 10 more reliances (not listed)");
}
