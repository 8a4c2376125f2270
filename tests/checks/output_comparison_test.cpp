#include <stdexcept>

#include <catch2/catch.hpp>

#include "checks/check_fixtures.hpp"

using namespace loveless;
using namespace loveless::testing;
using history::TaskOutcome;
using nlohmann::json;

namespace {

/// One input per output pair: control outputs `control`, chaos `chaos`.
HistoryFixture pairs(const std::vector<std::pair<json, json>>& outputs) {
  HistoryFixture f;
  f.phases();
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto n = std::to_string(i);
    f.execution(Phase::kControl, i, "doc-" + n + "-control", "SUCCEEDED", 1, 2, outputs[i].first);
    f.execution(Phase::kChaos, i, "doc-" + n + "-chaos", "SUCCEEDED", 11, 12, outputs[i].second);
  }
  return f;
}

const json kIndex = json::parse(R"({"document": "GPL-3", "total_words": 812,
  "top": [{"word": "the", "count": 40}, {"word": "of", "count": 30}],
  "generated_at": "2024-01-01T00:00:00Z"})");

}  // namespace

TEST_CASE("outputs_match_control passes when every chaos output equals its control output",
          "[checks][outputs]") {
  auto f = pairs({{kIndex, kIndex}, {json{{"n", 1}}, json{{"n", 1.0}}}});
  // An input whose chaos execution failed cannot be compared; the rest pass.
  f.execution(Phase::kControl, 2, "doc-2-control", "SUCCEEDED", 1, 2, kIndex);
  f.execution(Phase::kChaos, 2, "doc-2-chaos", "FAILED", 11, 12);
  const auto verdict = f.judge(checks::outputs_match_control());
  CHECK(verdict.check == "outputs match control");
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "2 of 2 compared chaos outputs match control (1 not compared)");
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text ==
        "input 2 not compared: chaos execution doc-2-chaos ended FAILED");
  CHECK(verdict.measurements["matched"] == 2);
  CHECK(verdict.measurements["not_compared"] == 1);
}

TEST_CASE("outputs_match_control does not count an execution's own name and ARN as a difference",
          "[checks][outputs]") {
  // $$.Execution.Id and $$.Execution.Name in the output: the runner names
  // control and chaos executions differently.
  const auto identity = [](const std::string& name, int n) {
    return json{{"execution", execution_arn(name)}, {"report", "s3://reports/" + name}, {"n", n}};
  };
  HistoryFixture f;
  f.phases();
  f.execution(Phase::kControl, 0, "control-0000-a", "SUCCEEDED", 1, 2,
              identity("control-0000-a", 1));
  f.execution(Phase::kChaos, 0, "chaos-0000-a", "SUCCEEDED", 11, 12, identity("chaos-0000-a", 1));
  f.execution(Phase::kControl, 1, "control-0001-a", "SUCCEEDED", 1, 2,
              identity("control-0001-a", 1));
  f.execution(Phase::kChaos, 1, "chaos-0001-a", "SUCCEEDED", 11, 12, identity("chaos-0001-a", 2));
  const auto verdict = f.judge(checks::outputs_match_control());
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.measurements["matched"] == 1);
  REQUIRE(verdict.evidence.size() == 1);
  CHECK_THAT(verdict.evidence[0].text, Catch::Contains("at /n control has 1, chaos has 2"));
}

TEST_CASE("outputs_match_control fails with the first difference as a JSON Pointer and both values",
          "[checks][outputs]") {
  auto diverged = kIndex;
  diverged["total_words"] = 790;
  diverged["top"][1]["count"] = 29;
  auto f = pairs({{kIndex, kIndex}, {kIndex, diverged}});
  f.task("doc-1-chaos", "CountWords", "count-words-2", 11.2, 11.6);
  f.fault(FaultKind::kKill, "count-words-2", 11.4);
  const auto verdict = f.judge(checks::outputs_match_control());
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK(verdict.summary == "1 of 2 compared chaos outputs diverged from control");
  REQUIRE(verdict.evidence.size() == 1);
  const auto& evidence = verdict.evidence[0];
  // Members in key order: /top/1/count comes before /total_words.
  CHECK(evidence.text ==
        "chaos execution doc-1-chaos (input 1) diverged from control execution doc-1-control: at "
        "/top/1/count control has 30, chaos has 29; the fault before it: kill of count-words-2 at "
        "+11.4 s, while it ran CountWords of this execution [kill injector]");
  CHECK(evidence.data["pointer"] == "/top/1/count");
  CHECK(evidence.data["control"] == 30);
  CHECK(evidence.data["chaos"] == 29);
  CHECK(evidence.data["differences"] == 2);
  CHECK(evidence.data["input_index"] == 1);
  CHECK(evidence.data["control_execution"]["execution"] == execution_arn("doc-1-control"));
  CHECK(evidence.data["chaos_execution"]["execution"] == execution_arn("doc-1-chaos"));
  CHECK(evidence.data["faults"].size() == 1);
}

TEST_CASE("outputs_match_control names missing members and array elements", "[checks][outputs]") {
  auto f = pairs({{json{{"a", json::array({1, 2, 3})}}, json{{"a", json::array({1, 2})}}},
                  {json{{"a", 1}}, json{{"a", 1}, {"b", "x/y~z"}}},
                  {json::array({1}), json{{"a", 1}}}});
  const auto verdict = f.judge(checks::outputs_match_control());
  CHECK(verdict.outcome == Outcome::kFail);
  REQUIRE(verdict.evidence.size() == 3);
  CHECK_THAT(verdict.evidence[0].text,
             Catch::Contains("at /a/2 control has 3, chaos has (absent)"));
  CHECK(verdict.evidence[0].data["chaos_absent"] == true);
  CHECK_THAT(verdict.evidence[1].text,
             Catch::Contains("at /b control has (absent), chaos has \"x/y~z\""));
  CHECK_THAT(verdict.evidence[2].text,
             Catch::Contains("at (root) control has [1], chaos has {\"a\":1}"));
  CHECK(verdict.evidence[2].data["pointer"] == "");
}

TEST_CASE("outputs_match_control is unknown when no input has two succeeded executions",
          "[checks][outputs]") {
  HistoryFixture f;
  f.phases();
  f.execution(Phase::kControl, 0, "doc-0-control", "SUCCEEDED", 1, 2, kIndex);
  f.execution(Phase::kChaos, 0, "doc-0-chaos", "TIMED_OUT", 11, 12);
  f.execution(Phase::kControl, 1, "doc-1-control", "SUCCEEDED", 1, 2, kIndex);
  auto verdict = f.judge(checks::outputs_match_control());
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "no input had a succeeded control and chaos execution");
  REQUIRE(verdict.evidence.size() == 2);
  CHECK(verdict.evidence[0].text ==
        "input 0 not compared: chaos execution doc-0-chaos ended TIMED_OUT");
  CHECK(verdict.evidence[1].text == "input 1 not compared: no chaos execution ran this input");

  verdict = HistoryFixture().judge(checks::outputs_match_control());
  CHECK(verdict.outcome == Outcome::kUnknown);
  CHECK(verdict.summary == "no execution to compare");
}

TEST_CASE("outputs_match_control: ignore paths leave out members, elements and wildcards",
          "[checks][outputs]") {
  auto chaos = kIndex;
  chaos["generated_at"] = "2024-06-01T00:00:00Z";
  chaos["top"][0]["count"] = 41;
  chaos["top"][1]["count"] = 31;
  auto f = pairs({{kIndex, chaos}});

  auto verdict = f.judge(checks::outputs_match_control({{"$.generated_at"}, {}}));
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK_THAT(verdict.evidence.at(0).text, Catch::Contains("at /top/0/count control has 40"));

  verdict = f.judge(checks::outputs_match_control({{"$.generated_at", "$.top[*].count"}, {}}));
  CHECK(verdict.outcome == Outcome::kPass);

  verdict = f.judge(checks::outputs_match_control({{"$['generated_at']", "$.top[0]"}, {}}));
  CHECK(verdict.outcome == Outcome::kFail);
  // The ignored element is nulled, so the next keeps its index in the pointer.
  CHECK_THAT(verdict.evidence.at(0).text, Catch::Contains("at /top/1/count control has 30"));

  verdict = f.judge(checks::outputs_match_control({{"$.top.*", "$.generated_at"}, {}}));
  CHECK(verdict.outcome == Outcome::kPass);
  verdict = f.judge(checks::outputs_match_control({{"$"}, {}}));
  CHECK(verdict.outcome == Outcome::kPass);
  // A path that selects nothing changes nothing.
  verdict = f.judge(checks::outputs_match_control({{"$.missing.deeper[3]", "$.document[0]"}, {}}));
  CHECK(verdict.outcome == Outcome::kFail);
}

TEST_CASE("outputs_match_control: ignore paths take recursive descent, filters and slices",
          "[checks][outputs]") {
  auto chaos = kIndex;
  chaos["top"][0]["count"] = 41;
  chaos["top"][1]["count"] = 31;
  auto f = pairs({{kIndex, chaos}});
  // Every count at any depth.
  CHECK(f.judge(checks::outputs_match_control({{"$..count"}, {}})).outcome == Outcome::kPass);
  // The elements whose count differs, by a filter on the control's values and
  // the chaos ones alike (each output is filtered on its own).
  CHECK(f.judge(checks::outputs_match_control({{"$.top[?(@.count >= 30)]"}, {}})).outcome ==
        Outcome::kPass);
  // A slice of the first element only leaves the second's difference.
  const auto verdict = f.judge(checks::outputs_match_control({{"$.top[0:1]"}, {}}));
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK_THAT(verdict.evidence.at(0).text, Catch::Contains("at /top/1/count control has 30"));
}

TEST_CASE("outputs_match_control: an unsupported ignore path makes the verdict unknown",
          "[checks][outputs]") {
  const auto f = pairs({{kIndex, kIndex}});
  for (const std::string path :
       {"generated_at", "$$.Execution.Id", "$.", "$['open", "$.top[1", "$.top[?(@.n"}) {
    const auto verdict = f.judge(checks::outputs_match_control({{path}, {}}));
    INFO(path);
    CHECK(verdict.outcome == Outcome::kUnknown);
    CHECK(verdict.summary == "an ignore path is invalid");
    REQUIRE(verdict.evidence.size() == 1);
    CHECK_THAT(verdict.evidence[0].text, Catch::StartsWith("ignore path '" + path + "'"));
  }
}

TEST_CASE("outputs_match_control: a comparator replaces JSON equality", "[checks][outputs]") {
  auto chaos = kIndex;
  chaos["generated_at"] = "later";
  auto f = pairs({{kIndex, chaos}});
  checks::OutputComparison by_total;
  by_total.comparator = [](const json& control, const json& chaos_output) -> std::string {
    if (control.value("total_words", -1) == chaos_output.value("total_words", -1)) return "";
    return "totals differ";
  };
  CHECK(f.judge(checks::outputs_match_control(by_total)).outcome == Outcome::kPass);

  f.history.executions[1].output["total_words"] = 1;
  auto verdict = f.judge(checks::outputs_match_control(by_total));
  CHECK(verdict.outcome == Outcome::kFail);
  CHECK_THAT(verdict.evidence.at(0).text, Catch::Contains(": the comparator says: totals differ;"));
  CHECK(verdict.evidence.at(0).data["comparator"] == "totals differ");

  // Ignore paths apply before the comparator.
  by_total.ignore_paths = {"$.total_words"};
  CHECK(f.judge(checks::outputs_match_control(by_total)).outcome == Outcome::kPass);

  checks::OutputComparison throwing;
  throwing.comparator = [](const json&, const json&) -> std::string {
    throw std::runtime_error("cannot compare");
  };
  verdict = f.judge(checks::outputs_match_control(throwing));
  CHECK(verdict.outcome == Outcome::kUnknown);
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].text == "input 0 not compared: the comparator threw: cannot compare");
}

TEST_CASE("outputs_match_control leaves out what differs between fault-free runs of one input",
          "[checks][outputs]") {
  // A worker that reports its duration and process id: the two control runs
  // of input 0 (one worker) differ in took_ms, the cold runs (fresh workers)
  // in pid as well. Neither is the faults' doing.
  const auto report = [](int words, int took_ms, int pid) {
    return json{{"words", words}, {"took_ms", took_ms}, {"pid", pid}};
  };
  const auto judge = [&](const json& chaos_output) {
    HistoryFixture f;
    f.phases();
    f.execution(Phase::kControl, 0, "c0a", "SUCCEEDED", 1, 2, report(5, 150, 100));
    f.execution(Phase::kControl, 0, "c0b", "SUCCEEDED", 2, 3, report(5, 152, 100));
    f.execution(Phase::kCold, 0, "k0a", "SUCCEEDED", 4, 5, report(5, 161, 200));
    f.execution(Phase::kCold, 0, "k0b", "SUCCEEDED", 5, 6, report(5, 161, 300));
    f.execution(Phase::kChaos, 0, "x0", "SUCCEEDED", 11, 12, chaos_output);
    return f.judge(checks::outputs_match_control());
  };
  const auto verdict = judge(report(5, 190, 400));
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["fault_free_varying_paths"] == json::array({"/pid", "/took_ms"}));
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].data["verdict"] == "fault-free-varying");
  CHECK_THAT(verdict.evidence[0].text, Catch::StartsWith("not compared: /pid, /took_ms, where two "
                                                         "fault-free executions of one input "
                                                         "differed"));

  // What agreed in every fault-free run is still held to.
  const auto diverged = judge(report(4, 190, 400));
  INFO(evidence_text(diverged));
  CHECK(diverged.outcome == Outcome::kFail);
  CHECK_THAT(diverged.evidence[0].text, Catch::Contains("at /words control has 5, chaos has 4"));
}

TEST_CASE("outputs_match_control takes outputs that differ only in timestamps and UUIDs as equal",
          "[checks][outputs]") {
  auto stamped = kIndex;
  stamped["generated_at"] = "2024-01-01T00:05:00.250Z";
  auto cached = kIndex;
  cached["generated_at"] = "cached";
  const auto verdict = pairs({{kIndex, stamped}}).judge(checks::outputs_match_control());
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["run_varying_paths"] == json::array({"/generated_at"}));
  REQUIRE(verdict.evidence.size() == 1);
  CHECK(verdict.evidence[0].data["verdict"] == "run-varying");
  // A timestamp on one side only is a difference.
  CHECK(pairs({{kIndex, cached}}).judge(checks::outputs_match_control()).outcome == Outcome::kFail);
}
