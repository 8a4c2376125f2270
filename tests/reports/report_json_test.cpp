// JSON reports read back: the history's JSON round trip and the schema check.
#include "loveless/reports/report_json.hpp"

#include <catch2/catch.hpp>

#include "loveless/history/history.hpp"

#include "report_fixtures.hpp"

using namespace loveless;

TEST_CASE("a history survives its JSON round trip", "[reports]") {
  auto fixture = loveless::testing::two_inputs("run-20231114-221319-1", "FAILED");
  fixture.fault(history::FaultKind::kLatency, "count-words-1", 3.25, std::chrono::seconds(1));
  fixture.access("count-words-1", "counts-0.json", history::ScratchOperation::kCreated, 2.5);
  fixture.history.worker_events.push_back(
      {loveless::testing::at(4), "replaced", "count-words", "count-words-3", "after a kill"});
  fixture.history.partial = true;
  fixture.history.host_files_audited = true;
  fixture.history.host_file_accesses.push_back({loveless::testing::at(2.75), "count-words-1",
                                                "/srv/app/cache/report.json",
                                                history::ScratchOperation::kModified, "0a1b2c"});
  const auto json = history::to_json(fixture.history);
  const auto back = history::history_from_json(json);
  CHECK(history::to_json(back) == json);
  REQUIRE(back.host_file_accesses.size() == 1);
  CHECK(back.host_file_accesses[0].file == "0a1b2c");
  CHECK(back.host_files_audited);
  CHECK(back.faults.at(0).kind == history::FaultKind::kLatency);
  CHECK(back.tasks.at(1).outcome == history::TaskOutcome::kOpen);
  CHECK_FALSE(back.tasks.at(1).ended.has_value());
}

TEST_CASE("a history with an unknown enum value is refused naming the member", "[reports]") {
  auto json = history::to_json(loveless::testing::two_inputs("run-1").history);
  json["executions"][0]["phase"] = "warmup";
  CHECK_THROWS_WITH(history::history_from_json(json),
                    Catch::Contains("'phase'") && Catch::Contains("warmup"));
  json = history::to_json(loveless::testing::two_inputs("run-1").history);
  json["seed"] = "forty-two";
  CHECK_THROWS_WITH(history::history_from_json(json), Catch::Contains("'seed'"));
}

TEST_CASE("only a report of this schema version is read back", "[reports]") {
  CHECK_THROWS_WITH(reports::parse_report(nlohmann::json{{"scenario", "x"}}),
                    Catch::Contains("no \"schema\"") && Catch::Contains("loveless.report/v1"));
  CHECK_THROWS_WITH(
      reports::parse_report(nlohmann::json{{"schema", "loveless.report/v2"}, {"scenarios", {}}}),
      Catch::Contains("loveless.report/v2") && Catch::Contains("reads loveless.report/v1 only"));
  CHECK_THROWS_WITH(reports::parse_report(nlohmann::json{{"schema", reports::kReportSchema}}),
                    Catch::Contains("malformed"));
}
