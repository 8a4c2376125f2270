#include <catch2/catch.hpp>

#include "checks/check_fixtures.hpp"

using namespace loveless;
using namespace loveless::testing;
using history::TaskOutcome;
using nlohmann::json;

namespace {

/// Control 0..10 s, cold 10..20 s, chaos 20..30 s.
void phases_with_cold(HistoryFixture& f) {
  f.history.phases = {{Phase::kControl, at(0), at(10)},
                      {Phase::kCold, at(10), at(20)},
                      {Phase::kChaos, at(20), at(30)}};
}

/// One execution of one activity task (state `Work`) on `worker`, from
/// `start` for a second: it succeeds with `output` (the task's and the
/// execution's), or fails with `error`.
void run(HistoryFixture& f, Phase phase, std::size_t input, const std::string& name,
         const std::string& worker, double start, const json& output,
         const std::string& error = "") {
  const bool ok = error.empty();
  f.execution(phase, input, name, ok ? "SUCCEEDED" : "FAILED", start, start + 1,
              ok ? output : json(nullptr))
      .error = error;
  EventLog log;
  auto id = log.execution_started(start);
  id = log.task_entered("Work", id, start);
  id = log.activity_scheduled(kCountWords, id, start);
  id = log.activity_started(worker, id, start + 0.1);
  id = ok ? log.activity_succeeded(id, start + 0.9, output.dump())
          : log.activity_failed(id, start + 0.9, error);
  if (ok) {
    log.execution_succeeded(id, start + 1);
  } else {
    log.execution_failed(id, start + 1, error);
  }
  f.events(name, std::move(log));
}

/// A chaos execution of input 0 whose Work fails first on `first_worker`
/// (timed out: the attempt a kill broke), then, retried, on `retry_worker`
/// with `retry_error`, and the execution fails with it.
void run_retried(HistoryFixture& f, const std::string& name, const std::string& first_worker,
                 const std::string& retry_worker, const std::string& retry_error) {
  const double start = 21;
  f.execution(Phase::kChaos, 0, name, "FAILED", start, start + 4, json(nullptr)).error =
      retry_error;
  EventLog log;
  auto id = log.execution_started(start);
  id = log.task_entered("Work", id, start);
  id = log.activity_scheduled(kCountWords, id, start);
  id = log.activity_started(first_worker, id, start + 0.1);
  id = log.activity_timed_out(id, start + 1.5);
  id = log.activity_scheduled(kCountWords, id, start + 2.5);
  id = log.activity_started(retry_worker, id, start + 2.6);
  id = log.activity_failed(id, start + 3, retry_error);
  log.execution_failed(id, start + 4, retry_error);
  f.events(name, std::move(log));
}

/// Two inputs run warm on one reused worker, then cold on fresh ones.
HistoryFixture agreeing() {
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0", "w-1", 1, {{"n", 0}});
  run(f, Phase::kControl, 1, "c1", "w-1", 3, {{"n", 1}});
  run(f, Phase::kCold, 0, "k0", "w-2", 11, {{"n", 0}});
  run(f, Phase::kCold, 1, "k1", "w-3", 13, {{"n", 1}});
  return f;
}

}  // namespace

TEST_CASE("no_local_state_reliance passes when warm and cold agree, naming its coverage",
          "[checks][reliance]") {
  const auto f = agreeing();
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.check == "no local-state reliance");
  CHECK(verdict.outcome == Outcome::kPass);
  // Each input ran once warm: the pass says what it could not have caught.
  CHECK(verdict.summary ==
        "warm and cold agree: 2 warm executions of 2 inputs match 2 cold ones; 2 tasks ran cold "
        "(Work 2), 1 of 2 warm tasks reused a worker; no input came back warm to a worker that "
        "had run it, so state kept per input (an idempotency set, a cache keyed by the input) "
        "was not exercised: run more executions than inputs, or fewer workers");
  CHECK(verdict.measurements["warm_repeated_inputs"] == 0);
  CHECK(verdict.measurements["cold_tasks"] == 2);
  CHECK(verdict.measurements["cold_tasks_by_state"]["Work"] == 2);
  CHECK(verdict.measurements["warm_reused_tasks"] == 1);
  CHECK(verdict.evidence.empty());
  CHECK(checks::no_local_state_reliance()->needs_cold_phase());
}

TEST_CASE(
    "no_local_state_reliance says nothing of repeated inputs when an input came back to "
    "its worker",
    "[checks][reliance]") {
  auto f = agreeing();
  SECTION("on the worker that ran it: exercised") {
    run(f, Phase::kControl, 0, "c0b", "w-1", 5, {{"n", 0}});
    const auto verdict = f.judge(checks::no_local_state_reliance());
    INFO(evidence_text(verdict));
    CHECK(verdict.outcome == Outcome::kPass);
    CHECK(verdict.measurements["warm_repeated_inputs"] == 1);
    CHECK_THAT(verdict.summary, !Catch::Contains("no input came back warm"));
  }
  SECTION("on another worker: ran twice, but no worker saw it twice") {
    run(f, Phase::kControl, 0, "c0b", "w-9", 5, {{"n", 0}});
    const auto verdict = f.judge(checks::no_local_state_reliance());
    INFO(evidence_text(verdict));
    CHECK(verdict.measurements["warm_repeated_inputs"] == 0);
    CHECK_THAT(verdict.summary, Catch::Contains("no input came back warm"));
  }
}

TEST_CASE("no_local_state_reliance says when no warm worker saw two different inputs",
          "[checks][reliance]") {
  // As many workers as inputs, each input always on its own worker: a cache
  // keyed by a field the inputs share was never exercised.
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0a", "w-1", 1, {{"n", 0}});
  run(f, Phase::kControl, 1, "c1a", "w-2", 1, {{"n", 1}});
  run(f, Phase::kControl, 0, "c0b", "w-1", 3, {{"n", 0}});
  run(f, Phase::kControl, 1, "c1b", "w-2", 3, {{"n", 1}});
  run(f, Phase::kCold, 0, "k0", "w-3", 11, {{"n", 0}});
  run(f, Phase::kCold, 1, "k1", "w-4", 13, {{"n", 1}});
  auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["warm_cross_input_tasks"] == 0);
  CHECK_THAT(verdict.summary, Catch::Contains("no warm worker ran tasks of two different inputs"));

  // One worker that ran both inputs: the caveat goes.
  run(f, Phase::kControl, 0, "c0c", "w-2", 5, {{"n", 0}});
  verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.measurements["warm_cross_input_tasks"] == 1);
  CHECK_THAT(verdict.summary, !Catch::Contains("two different inputs"));
}

TEST_CASE("no_local_state_reliance fails on state kept in memory, comparing every execution",
          "[checks][reliance]") {
  // A per-process counter: the second warm run of input 0 on w-1 says 2.
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0a", "w-1", 1, {{"seen", 1}});
  run(f, Phase::kControl, 0, "c0b", "w-1", 3, {{"seen", 2}});
  run(f, Phase::kCold, 0, "k0a", "w-2", 11, {{"seen", 1}});
  run(f, Phase::kCold, 0, "k0b", "w-3", 13, {{"seen", 1}});
  f.history.scratch_audited = true;  // and it saw nothing
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary ==
        "1 executions differ from the same input run on fresh workers: their outcome depended "
        "on what earlier tasks left on a worker (0 by a scratch read, 1 without one: memory or "
        "a lookup)");
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text ==
        "control execution c0b (input 0) differs from cold execution k0a: at /seen control has "
        "2, cold has 1; first at Work on w-1 returned 2 at /seen, cold (on w-2) 1; no scratch "
        "read explains it: state kept in memory (w-1 had run 1 task before)");
  CHECK(verdict.evidence[0].data["mechanism"] == "memory");
  CHECK(verdict.evidence[0].data["verdict"] == "harmful");
}

TEST_CASE("no_local_state_reliance does not count an execution's own name and ARN as a difference",
          "[checks][reliance]") {
  // A stateless workflow that carries its execution's identity into its
  // output and its task's (a correlation id from $$.Execution.Id, a key
  // from $$.Execution.Name): each phase names its executions differently.
  const auto identity = [](const std::string& name) {
    return json{{"id", execution_arn(name)},
                {"key", "runs/" + name + "/index.json"},
                {"by_execution", {{name, true}}},
                {"n", 1}};
  };
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "control-0000-a", "w-1", 1, identity("control-0000-a"));
  run(f, Phase::kControl, 1, "control-0001-a", "w-1", 3, identity("control-0001-a"));
  run(f, Phase::kCold, 0, "cold-0000-a", "w-2", 11, identity("cold-0000-a"));
  run(f, Phase::kCold, 1, "cold-0001-a", "w-3", 13, identity("cold-0001-a"));
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);

  // Anything else in the output still counts.
  auto stale = identity("control-0001-a");
  stale["n"] = 2;
  HistoryFixture g;
  phases_with_cold(g);
  run(g, Phase::kControl, 0, "control-0000-a", "w-1", 1, identity("control-0000-a"));
  run(g, Phase::kControl, 1, "control-0001-a", "w-1", 3, stale);
  run(g, Phase::kCold, 0, "cold-0000-a", "w-2", 11, identity("cold-0000-a"));
  run(g, Phase::kCold, 1, "cold-0001-a", "w-3", 13, identity("cold-0001-a"));
  const auto failed = g.judge(checks::no_local_state_reliance());
  INFO(evidence_text(failed));
  CHECK(failed.outcome == Outcome::kFail);
  REQUIRE_FALSE(failed.evidence.empty());
  CHECK_THAT(failed.evidence[0].text, Catch::Contains("at /n control has 2, cold has 1"));
}

TEST_CASE(
    "no_local_state_reliance takes outputs that differ only in timestamps and UUIDs as agreeing",
    "[checks][reliance]") {
  // A stateless worker stamps its output with the time and a random id: any
  // two runs differ there, whatever a worker kept.
  const auto stamped = [](const std::string& at, const std::string& id, int n) {
    return json{{"generated_at", at}, {"request", {{"id", id}}}, {"n", n}};
  };
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0", "w-1", 1,
      stamped("2026-12-07T10:00:01.123Z", "0f8fad5b-d9cb-469f-a165-70867728950e", 0));
  run(f, Phase::kControl, 1, "c1", "w-1", 3,
      stamped("2026-12-07T10:00:03Z", "7c9e6679-7425-40de-944b-e07fc1f90ae7", 1));
  run(f, Phase::kCold, 0, "k0", "w-2", 11,
      stamped("2026-12-07T10:00:11+01:00", "1B4E28BA-2FA1-11D2-883F-0016D3CCA427", 0));
  run(f, Phase::kCold, 1, "k1", "w-3", 13,
      stamped("2026-12-07T10:00:13Z", "6fa459ea-ee8a-3ca4-894e-db77e160355e", 1));
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["run_varying_paths"] == json::array({"/generated_at", "/request/id"}));
  REQUIRE(verdict.evidence.size() == 1);
  CHECK_THAT(verdict.evidence[0].text,
             Catch::StartsWith("not compared: /generated_at, /request/id"));

  SECTION("a difference anywhere else still counts") {
    HistoryFixture g;
    phases_with_cold(g);
    run(g, Phase::kControl, 0, "c0", "w-1", 1, stamped("2026-12-07T10:00:01Z", "a", 0));
    run(g, Phase::kControl, 1, "c1", "w-1", 3, stamped("2026-12-07T10:00:03Z", "a", 7));
    run(g, Phase::kCold, 0, "k0", "w-2", 11, stamped("2026-12-07T10:00:11Z", "a", 0));
    run(g, Phase::kCold, 1, "k1", "w-3", 13, stamped("2026-12-07T10:00:13Z", "a", 1));
    const auto failed = g.judge(checks::no_local_state_reliance());
    INFO(evidence_text(failed));
    CHECK(failed.outcome == Outcome::kFail);
  }
  SECTION("a string that is not a timestamp or UUID on both sides counts") {
    HistoryFixture g;
    phases_with_cold(g);
    run(g, Phase::kControl, 0, "c0", "w-1", 1, stamped("2026-12-07T10:00:01Z", "x", 0));
    run(g, Phase::kControl, 1, "c1", "w-1", 3, stamped("cached", "x", 1));
    run(g, Phase::kCold, 0, "k0", "w-2", 11, stamped("2026-12-07T10:00:11Z", "x", 0));
    run(g, Phase::kCold, 1, "k1", "w-3", 13, stamped("2026-12-07T10:00:13Z", "x", 1));
    CHECK(g.judge(checks::no_local_state_reliance()).outcome == Outcome::kFail);
  }
}

TEST_CASE("no_local_state_reliance names the scratch file a warm task read", "[checks][reliance]") {
  // A cache keyed by name: input 1 reads what input 0 left and returns it.
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0", "w-1", 1, {{"v", 1}});
  f.access("w-1", "cache.json", ScratchOperation::kCreated, 1.5);
  f.access("w-1", "cache.json", ScratchOperation::kModified, 1.6);
  run(f, Phase::kControl, 1, "c1", "w-1", 3, {{"v", 1}});
  f.access("w-1", "cache.json", ScratchOperation::kOpened, 3.3);
  f.access("w-1", "cache.json", ScratchOperation::kRead, 3.3);
  run(f, Phase::kCold, 0, "k0", "w-2", 11, {{"v", 1}});
  run(f, Phase::kCold, 1, "k1", "w-3", 13, {{"v", 2}});
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kFail);
  REQUIRE(!verdict.evidence.empty());
  CHECK(verdict.evidence[0].text ==
        "control execution c1 (input 1) differs from cold execution k1: at /v control has 1, "
        "cold has 2; first at Work on w-1 returned 1 at /v, cold (on w-3) 2; it read scratch an "
        "earlier task left: file cache.json in w-1's scratch: written at +1.6 s by Work of "
        "control execution c0, read at +3.3 s (after the writer ended at +1.9 s) by Work of "
        "control execution c1");
  CHECK(verdict.evidence[0].data["mechanism"] == "scratch-read");
  CHECK(verdict.evidence[0].data["reads"][0]["file"] == "cache.json");
}

TEST_CASE("no_local_state_reliance: a file opened to be overwritten is not a reliance",
          "[checks][reliance]") {
  // The resize.tmp pattern: a fixed-name temp file each task truncates.
  auto f = agreeing();
  f.access("w-1", "resize.tmp", ScratchOperation::kCreated, 1.5);
  f.access("w-1", "resize.tmp", ScratchOperation::kModified, 1.6);
  f.access("w-1", "resize.tmp", ScratchOperation::kOpened, 3.3);
  f.access("w-1", "resize.tmp", ScratchOperation::kModified, 3.4);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["reliances"] == 0);
}

TEST_CASE("no_local_state_reliance lists a harmless read of a left file as a cache",
          "[checks][reliance]") {
  auto f = agreeing();
  f.access("w-1", "model.bin", ScratchOperation::kCreated, 1.5);
  f.access("w-1", "model.bin", ScratchOperation::kRead, 3.3);
  f.access("w-1", "model.bin", ScratchOperation::kRead, 3.5);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK_THAT(verdict.summary,
             Catch::Contains("; 1 reads of scratch earlier tasks left, none harmful"));
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text ==
        "file model.bin in w-1's scratch: written at +1.5 s by Work of control execution c0, read "
        "at +3.3 s (after the writer ended at +1.9 s) by Work of control execution c1: harmless "
        "(that execution matched its input run cold) [read 2 times]");
  CHECK(verdict.evidence[0].data["verdict"] == "harmless");
}

TEST_CASE("no_local_state_reliance points at files left behind when no read explains it",
          "[checks][reliance]") {
  // An O_EXCL lock file never removed: the second task's open fails, which
  // inotify cannot see.
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0a", "w-1", 1, {{"ok", true}});
  f.access("w-1", "lock", ScratchOperation::kCreated, 1.5);
  run(f, Phase::kControl, 0, "c0b", "w-1", 3, {}, "Lock.Held");
  run(f, Phase::kCold, 0, "k0a", "w-2", 11, {{"ok", true}});
  run(f, Phase::kCold, 0, "k0b", "w-3", 13, {{"ok", true}});
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kFail);
  REQUIRE(!verdict.evidence.empty());
  CHECK(verdict.evidence[0].data["mechanism"] == "left-behind-file");
  CHECK_THAT(verdict.evidence[0].text,
             Catch::Contains("control ended FAILED (Lock.Held), cold SUCCEEDED") &&
                 Catch::Contains("w-1's scratch held what earlier tasks left: lock (by Work of "
                                 "control execution c0a at +1.5 s)"));
}

TEST_CASE("no_local_state_reliance: a listing of the scratch directory reads what is left",
          "[checks][reliance]") {
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0", "w-1", 1, {{"files", 1}});
  f.access("w-1", "a.txt", ScratchOperation::kCreated, 1.5);
  run(f, Phase::kControl, 0, "c0b", "w-1", 3, {{"files", 2}});
  f.access("w-1", ".", ScratchOperation::kRead, 3.2);
  run(f, Phase::kCold, 0, "k0", "w-2", 11, {{"files", 1}});
  f.access("w-2", "b.txt", ScratchOperation::kCreated, 11.5);
  // The runner's own wipe lists the directory too, between tasks: not a read.
  f.fault(FaultKind::kWipeScratch, "w-2", 12.5);
  f.access("w-2", ".", ScratchOperation::kRead, 12.45);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.measurements["reliances"] == 1);
  REQUIRE(!verdict.evidence.empty());
  CHECK_THAT(verdict.evidence[0].text,
             Catch::Contains("listed the scratch directory (holding a.txt (by Work of control "
                             "execution c0 at +1.5 s)) in w-1's scratch"));
}

TEST_CASE("no_local_state_reliance: a chaos failure a fault explains is recovery",
          "[checks][reliance]") {
  auto f = agreeing();
  run(f, Phase::kChaos, 0, "x0", "w-4", 21, {{"n", 0}});
  f.access("w-4", "cache.json", ScratchOperation::kCreated, 21.5);
  run(f, Phase::kChaos, 1, "x1", "w-4", 23, {}, "States.Timeout");
  f.access("w-4", "cache.json", ScratchOperation::kRead, 23.3);
  f.fault(FaultKind::kKill, "w-4", 23.5);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["chaos_diverged"] == 1);
  REQUIRE(!verdict.evidence.empty());
  CHECK(verdict.evidence[0].data["verdict"] == "not attributed");
  CHECK_THAT(verdict.evidence[0].text, Catch::Contains("not counted against local state") &&
                                           Catch::Contains("kill of w-4 at +23.5 s"));
}

TEST_CASE("no_local_state_reliance: a kill landing in the millisecond the task failed is recovery",
          "[checks][reliance]") {
  // The orchestrator records a killed task's failure within the millisecond
  // the kill lands: the fault's time may round to the task's end.
  auto f = agreeing();
  run(f, Phase::kChaos, 0, "x0", "w-4", 21, {{"n", 0}});
  f.access("w-4", "cache.json", ScratchOperation::kCreated, 21.5);
  run(f, Phase::kChaos, 1, "x1", "w-4", 23, {}, "Lambda.Unknown");
  f.access("w-4", "cache.json", ScratchOperation::kRead, 23.3);
  f.fault(FaultKind::kKill, "w-4", 23.9004);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  REQUIRE(!verdict.evidence.empty());
  CHECK(verdict.evidence[0].data["verdict"] == "not attributed");
}

TEST_CASE("no_local_state_reliance: a chaos task that read stale scratch and diverged fails",
          "[checks][reliance]") {
  auto f = agreeing();
  run(f, Phase::kChaos, 0, "x0", "w-4", 21, {{"n", 0}});
  f.access("w-4", "cache.json", ScratchOperation::kCreated, 21.5);
  run(f, Phase::kChaos, 1, "x1", "w-4", 23, {{"n", 0}});
  f.access("w-4", "cache.json", ScratchOperation::kRead, 23.3);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kFail);
  REQUIRE(!verdict.evidence.empty());
  CHECK_THAT(verdict.evidence[0].text,
             Catch::StartsWith("chaos execution x1 (input 1) differs from cold execution k1") &&
                 Catch::Contains("file cache.json in w-4's scratch"));
}

TEST_CASE("no_local_state_reliance: a retry failing after a fault took its attempt's worker fails",
          "[checks][reliance]") {
  // A checkpoint the killed attempt kept on its worker: warm and cold, which
  // inject nothing, agree; the retry, on another worker no fault touched,
  // fails with the worker's own error.
  auto f = agreeing();
  run_retried(f, "x0", "w-4", "w-5", "App.CheckpointMissing");
  f.fault(FaultKind::kKill, "w-4", 21.3);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK_THAT(verdict.summary, Catch::Contains("1 by what a fault took with the worker"));
  REQUIRE(!verdict.evidence.empty());
  CHECK(verdict.evidence[0].data["verdict"] == "harmful");
  CHECK(verdict.evidence[0].data["mechanism"] == "lost-with-worker");
  CHECK_THAT(verdict.evidence[0].text,
             Catch::Contains("Work on w-5 failed with App.CheckpointMissing while no fault "
                             "touched w-5") &&
                 Catch::Contains("kill of w-4 at +21.3 s"));
}

TEST_CASE(
    "no_local_state_reliance: a retry that times out or fails as fault-free runs did is "
    "recovery",
    "[checks][reliance]") {
  SECTION("a timeout says the worker went away, not what it decided") {
    auto f = agreeing();
    run_retried(f, "x0", "w-4", "w-5", "States.Timeout");
    f.fault(FaultKind::kKill, "w-4", 21.3);
    const auto verdict = f.judge(checks::no_local_state_reliance());
    INFO(evidence_text(verdict));
    CHECK(verdict.outcome == Outcome::kPass);
  }
  SECTION("a fault that touched the retry's worker explains it") {
    auto f = agreeing();
    run_retried(f, "x0", "w-4", "w-5", "App.CheckpointMissing");
    f.fault(FaultKind::kKill, "w-4", 21.3);
    f.fault(FaultKind::kWipeScratch, "w-5", 23.8);
    const auto verdict = f.judge(checks::no_local_state_reliance());
    INFO(evidence_text(verdict));
    CHECK(verdict.outcome == Outcome::kPass);
    REQUIRE(!verdict.evidence.empty());
    CHECK(verdict.evidence[0].data["verdict"] == "not attributed");
  }
  SECTION("a cold run of the input failed the state with that error too") {
    auto f = agreeing();
    run_retried(f, "x0", "w-4", "w-5", "App.Flaky");
    f.fault(FaultKind::kKill, "w-4", 21.3);
    // Cold, the same state failed with App.Flaky once and then succeeded.
    f.execution(Phase::kCold, 0, "k2", "SUCCEEDED", 15, 17, {{"n", 0}});
    EventLog log;
    auto id = log.execution_started(15);
    id = log.task_entered("Work", id, 15);
    id = log.activity_scheduled(kCountWords, id, 15);
    id = log.activity_started("w-6", id, 15.1);
    id = log.activity_failed(id, 15.5, "App.Flaky");
    id = log.activity_scheduled(kCountWords, id, 15.6);
    id = log.activity_started("w-7", id, 15.7);
    id = log.activity_succeeded(id, 16.5, json{{"n", 0}}.dump());
    log.execution_succeeded(id, 17);
    f.events("k2", std::move(log));
    const auto verdict = f.judge(checks::no_local_state_reliance());
    INFO(evidence_text(verdict));
    CHECK(verdict.outcome == Outcome::kPass);
  }
}

TEST_CASE("no_local_state_reliance is unknown without a cold phase", "[checks][reliance]") {
  HistoryFixture f;
  f.phases();
  run(f, Phase::kControl, 0, "c0", "w-1", 1, {{"n", 0}});
  run(f, Phase::kChaos, 0, "x0", "w-1", 11, {{"n", 0}});
  f.history.stack = "aws";
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK_THAT(verdict.summary,
             Catch::StartsWith("no cold phase ran (the same inputs, every task on a fresh "
                               "worker): the aws stack cannot run one"));
}

TEST_CASE("no_local_state_reliance is unknown when a state never ran on a fresh worker",
          "[checks][reliance]") {
  auto f = agreeing();
  // Input 1's cold task ran on w-2, which had run input 0's: not cold.
  f.history.tasks.back().worker = "w-2";
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.measurements["not_cold_tasks"] == 1);
  CHECK(verdict.outcome == Outcome::kPass);

  auto lonely = agreeing();
  for (auto& task : lonely.history.tasks) {
    if (task.phase == Phase::kCold) task.worker = "w-1";
  }
  const auto uncovered = lonely.judge(checks::no_local_state_reliance());
  CHECK(uncovered.outcome == Outcome::kUnknown);
  CHECK_THAT(uncovered.summary,
             Catch::StartsWith("too little coverage: Work ran warm but never on a fresh worker"));
}

TEST_CASE("no_local_state_reliance is unknown when no warm task reused a worker",
          "[checks][reliance]") {
  auto f = agreeing();
  f.history.tasks[1].worker = "w-9";
  const auto verdict = f.judge(checks::no_local_state_reliance());
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK_THAT(verdict.summary, Catch::StartsWith("too little coverage: no warm task ran on a "
                                                "worker that had run an earlier one"));
}

TEST_CASE("no_local_state_reliance does not judge an input whose cold executions end differently",
          "[checks][reliance]") {
  // A flaky workflow: one cold run of input 0 failed. Its cold runs are no
  // reference, so the input is not judged.
  HistoryFixture f;
  phases_with_cold(f);
  run(f, Phase::kControl, 0, "c0a", "w-1", 1, {{"n", 1}});
  run(f, Phase::kControl, 0, "c0b", "w-1", 3, {{"n", 1}});
  run(f, Phase::kCold, 0, "k0a", "w-2", 11, {{"n", 1}});
  run(f, Phase::kCold, 0, "k0b", "w-3", 13, nullptr, "Flaky.Error");
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK_THAT(verdict.summary, Catch::StartsWith("no input could be judged"));
  REQUIRE(!verdict.evidence.empty());
  CHECK_THAT(verdict.evidence[0].text,
             Catch::StartsWith("input 0 not judged: its cold executions disagree") &&
                 Catch::Contains("ended FAILED (Flaky.Error), cold SUCCEEDED"));
}

TEST_CASE("no_local_state_reliance takes a warm execution on fresh workers as a cold sample",
          "[checks][reliance]") {
  // A stateless worker stamps how long it took. Under load the two cold runs
  // of each input happened to agree (150 ms); the warm runs took `first_ms`
  // on w-1 while it was fresh and `third_ms` on w-1's third task.
  const auto stamped = [](int first_ms, int third_ms) {
    HistoryFixture h;
    phases_with_cold(h);
    run(h, Phase::kControl, 0, "c0a", "w-1", 1, {{"n", 0}, {"took_ms", first_ms}});
    run(h, Phase::kControl, 1, "c1a", "w-1", 2, {{"n", 1}, {"took_ms", 150}});
    run(h, Phase::kControl, 0, "c0b", "w-1", 3, {{"n", 0}, {"took_ms", third_ms}});
    run(h, Phase::kCold, 0, "k0a", "w-2", 11, {{"n", 0}, {"took_ms", 150}});
    run(h, Phase::kCold, 1, "k1a", "w-3", 12, {{"n", 1}, {"took_ms", 150}});
    run(h, Phase::kCold, 0, "k0b", "w-4", 13, {{"n", 0}, {"took_ms", 150}});
    run(h, Phase::kCold, 1, "k1b", "w-5", 14, {{"n", 1}, {"took_ms", 150}});
    h.history.scratch_audited = true;  // and it saw nothing
    return h;
  };
  // The fresh run took 156: nothing earlier tasks left can explain that, so
  // it teaches the place as varying instead of proving reliance.
  auto verdict = stamped(156, 150).judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["fresh_control_executions"] == 1);
  CHECK(verdict.measurements["cold_varying_paths"] == json::array({"/took_ms"}));

  SECTION("a difference on a reused worker still proves reliance") {
    verdict = stamped(150, 149).judge(checks::no_local_state_reliance());
    INFO(evidence_text(verdict));
    CHECK(verdict.outcome == Outcome::kFail);
    CHECK(verdict.measurements["fresh_control_executions"] == 1);
    REQUIRE_FALSE(verdict.evidence.empty());
    CHECK_THAT(verdict.evidence[0].text, Catch::Contains("w-1 had run 2 tasks before"));
  }
}

TEST_CASE("no_local_state_reliance leaves out what differs between cold runs of one input",
          "[checks][reliance]") {
  // A stateless worker reports how long it took, its process id and the
  // worker that ran each item: two runs on fresh workers differ there, so
  // those places prove nothing about local state. Input 0's cold runs agree
  // on took_ms by chance; input 1's do not, which marks took_ms for every
  // input.
  const auto report = [](int n, int took_ms, int pid, const std::string& worker) {
    return json{{"n", n},
                {"took_ms", took_ms},
                {"pid", pid},
                {"items", json::array({{{"word", "a"}, {"worker", worker}},
                                       {{"word", "b"}, {"worker", worker}}})}};
  };
  // Input 0 runs twice warm (the second answering `second_warm`) and twice
  // cold (the second taking `second_cold_ms`); input 1 once warm, twice cold.
  const auto reports = [&report](const json& second_warm, int second_cold_ms) {
    HistoryFixture h;
    phases_with_cold(h);
    run(h, Phase::kControl, 0, "c0a", "w-1", 1, report(0, 151, 4100, "w-1"));
    run(h, Phase::kControl, 1, "c1a", "w-1", 2, report(1, 153, 4100, "w-1"));
    run(h, Phase::kControl, 0, "c0b", "w-1", 3, second_warm);
    run(h, Phase::kCold, 0, "k0a", "w-2", 11, report(0, 160, 4200, "w-2"));
    run(h, Phase::kCold, 1, "k1a", "w-3", 12, report(1, 158, 4300, "w-3"));
    run(h, Phase::kCold, 0, "k0b", "w-4", 13, report(0, second_cold_ms, 4400, "w-4"));
    run(h, Phase::kCold, 1, "k1b", "w-5", 14, report(1, 162, 4500, "w-5"));
    return h;
  };
  const auto f = reports(report(0, 150, 4100, "w-1"), 160);
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["judged_inputs"] == 2);
  CHECK(verdict.measurements["cold_varying_paths"] ==
        json::array({"/items/*/worker", "/pid", "/took_ms"}));
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].data["verdict"] == "cold-varying");
  CHECK_THAT(verdict.evidence[0].text,
             Catch::StartsWith("not compared: /items/*/worker, /pid, /took_ms, where the cold "
                               "executions of one input differed"));

  SECTION("state kept in memory is still caught beside them") {
    // The second warm run of input 0 answers from a per-process set.
    auto stale = report(0, 2, 4100, "w-1");
    stale["n"] = "duplicate";
    const auto failed = reports(stale, 161).judge(checks::no_local_state_reliance());
    INFO(evidence_text(failed));
    CHECK(failed.outcome == Outcome::kFail);
    REQUIRE_FALSE(failed.evidence.empty());
    CHECK_THAT(failed.evidence[0].text,
               Catch::Contains("at /n control has \"duplicate\", cold has 0"));
  }
  SECTION("a place that agrees between cold runs still counts") {
    // A per-process counter: 1 on every fresh worker, 2 and 3 warm.
    const auto counted = [](int n, int count) { return json{{"n", n}, {"count", count}}; };
    HistoryFixture g;
    phases_with_cold(g);
    run(g, Phase::kControl, 0, "c0a", "w-1", 1, counted(0, 1));
    run(g, Phase::kControl, 1, "c1a", "w-1", 2, counted(1, 2));
    run(g, Phase::kControl, 0, "c0b", "w-1", 3, counted(0, 3));
    run(g, Phase::kCold, 0, "k0a", "w-2", 11, counted(0, 1));
    run(g, Phase::kCold, 1, "k1a", "w-3", 12, counted(1, 1));
    run(g, Phase::kCold, 0, "k0b", "w-4", 13, counted(0, 1));
    run(g, Phase::kCold, 1, "k1b", "w-5", 14, counted(1, 1));
    const auto failed = g.judge(checks::no_local_state_reliance());
    INFO(evidence_text(failed));
    CHECK(failed.outcome == Outcome::kFail);
    CHECK(failed.measurements["warm_diverged"] == 2);
    CHECK(failed.measurements["cold_varying_paths"] == json::array());
  }
  SECTION("in a sentence only the words that varied are left out") {
    // Plain-text output: the duration is one word of it. A stale answer
    // differs in another word and is still caught.
    const auto said = [](int words, int ms) {
      return json("processed " + std::to_string(words) + " words in " + std::to_string(ms) + " ms");
    };
    const auto judge = [&](int stale_words) {
      HistoryFixture g;
      phases_with_cold(g);
      run(g, Phase::kControl, 0, "c0a", "w-1", 1, said(5, 151));
      run(g, Phase::kControl, 1, "c1a", "w-1", 2, said(7, 150));
      run(g, Phase::kControl, 0, "c0b", "w-1", 3, said(stale_words, 152));
      run(g, Phase::kCold, 0, "k0a", "w-2", 11, said(5, 160));
      run(g, Phase::kCold, 1, "k1a", "w-3", 12, said(7, 158));
      run(g, Phase::kCold, 0, "k0b", "w-4", 13, said(5, 163));
      return g.judge(checks::no_local_state_reliance());
    };
    const auto clean = judge(5);
    INFO(evidence_text(clean));
    CHECK(clean.outcome == Outcome::kPass);
    CHECK(clean.measurements["cold_varying_paths"] == json::array({"(root) (word 5)"}));
    const auto stale = judge(7);
    INFO(evidence_text(stale));
    CHECK(stale.outcome == Outcome::kFail);
  }
  SECTION("an ignore path says the same and leaves nothing to note") {
    checks::OutputComparison comparison;
    comparison.ignore_paths = {"$.took_ms", "$.pid", "$.items[*].worker"};
    const auto ignored = f.judge(checks::no_local_state_reliance(comparison));
    INFO(evidence_text(ignored));
    CHECK(ignored.outcome == Outcome::kPass);
    CHECK(ignored.evidence.empty());
  }
}

TEST_CASE(
    "no_local_state_reliance is unknown when cold tasks read a file outside scratch an "
    "earlier task wrote",
    "[checks][reliance]") {
  // A cache in the runner's working directory, written atomically (x.tmp
  // renamed to x): warm and cold agree because the cold task found what the
  // warm one left (the host file audit saw it; `file` is the same file).
  auto f = agreeing();
  const std::string cache = "/home/ci/project/zoo-cache/report.json";
  using history::ScratchOperation;
  f.history.host_files_audited = true;
  f.history.host_file_accesses = {
      {at(0.2), "w-1", "/home/ci/project/startup.pyc", ScratchOperation::kModified, "f-pyc"},
      {at(1.5), "w-1", cache + ".tmp", ScratchOperation::kModified, "f-cache"},
      {at(3.5), "w-1", cache, ScratchOperation::kRead, "f-cache"},
      {at(11.5), "w-2", cache, ScratchOperation::kRead, "f-cache"}};
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK_THAT(verdict.summary,
             Catch::Matchers::StartsWith("the cold phase was not cold: 1 reads by "
                                         "cold tasks of files outside their "
                                         "scratch that earlier tasks wrote (first "
                                         "/home/ci/project/zoo-cache/report.json)"));
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].data["verdict"] == "not cold");
  CHECK(verdict.evidence[0].data["file"] == cache);
  CHECK(verdict.evidence[0].text.find("by Work of cold execution k0 on w-2") != std::string::npos);
  CHECK(verdict.measurements["host_file_reliances"] == 2);  // the warm read and the cold one
  CHECK(verdict.measurements["not_cold_reads"] == 1);
}

TEST_CASE("no_local_state_reliance: files outside scratch only warm tasks share leave a pass",
          "[checks][reliance]") {
  // Written and read back warm, and written at start-up outside any task: the
  // cold tasks found nothing, so the differential still proves the claim.
  // (Without `file` identities, as in a history from before them: the path
  // stands for the file.)
  auto f = agreeing();
  using history::ScratchOperation;
  const std::string pyc = "/srv/app/__pycache__/handler.pyc";
  f.history.host_files_audited = true;
  f.history.host_file_accesses = {
      {at(0.2), "w-2", pyc, ScratchOperation::kModified, ""},
      {at(1.5), "w-1", "/srv/app/log.txt", ScratchOperation::kModified, ""},
      {at(3.5), "w-1", "/srv/app/log.txt", ScratchOperation::kRead, ""},
      {at(11.5), "w-2", pyc, ScratchOperation::kRead, ""}};
  const auto verdict = f.judge(checks::no_local_state_reliance());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["host_file_reliances"] == 1);
  CHECK(verdict.measurements["not_cold_reads"] == 0);
  CHECK(verdict.evidence.empty());
}
