// UpdateMapRun (core/engine/src/map_run_operations.cpp), called as a client
// would, on Map Runs of distributed Maps whose children wait for an activity
// worker; what the interpreter does with an update is pinned in
// tests/asl/execution_map_run_test.cpp.

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using nlohmann::json;

namespace {

/// A distributed Map over the input's items, each child an activity task.
std::string map_of_tasks(const std::string& activity, int max_concurrency) {
  return json{
      {"StartAt", "Pages"},
      {"States",
       {{"Pages",
         {{"Type", "Map"},
          {"Label", "Pages"},
          {"MaxConcurrency", max_concurrency},
          {"ItemProcessor",
           {{"ProcessorConfig", {{"Mode", "DISTRIBUTED"}, {"ExecutionType", "STANDARD"}}},
            {"StartAt", "Work"},
            {"States", {{"Work", {{"Type", "Task"}, {"Resource", activity}, {"End", true}}}}}}},
          {"End", true}}}}}}
      .dump();
}

std::string only_map_run(ServiceFixture& f, const std::string& execution) {
  const auto runs = f.call("ListMapRuns", {{"executionArn", execution}})["mapRuns"];
  REQUIRE(runs.size() == 1);
  return runs[0]["mapRunArn"].get<std::string>();
}

/// Polls `activity` until it hands out nothing; returns how many tasks it gave.
int drain_tasks(ServiceFixture& f, const std::string& activity, std::vector<json>& taken) {
  int count = 0;
  while (auto task = f.poll(activity)) {
    taken.push_back(*task);
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("UpdateMapRun raises a running Map Run's MaxConcurrency and DescribeMapRun shows it",
          "[engine][map-run]") {
  ServiceFixture f;
  const auto activity = f.create_activity("page");
  const auto sm = f.create_state_machine("pages", map_of_tasks(activity, 1));
  const auto run = f.start(sm, "p", R"([1, 2, 3])");
  const auto map_run = only_map_run(f, run);
  std::vector<json> taken;
  CHECK(drain_tasks(f, activity, taken) == 1);

  CHECK(f.call("UpdateMapRun",
               {{"mapRunArn", map_run}, {"maxConcurrency", 0}, {"toleratedFailureCount", 2}}) ==
        json::object());
  CHECK(drain_tasks(f, activity, taken) == 2);
  const auto described = f.call("DescribeMapRun", {{"mapRunArn", map_run}});
  CHECK(described["maxConcurrency"] == 0);
  CHECK(described["toleratedFailureCount"] == 2);
  CHECK(described["executionCounts"]["running"] == 3);

  for (const auto& task : taken) {
    f.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", "1"}});
  }
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  // Ended: no longer updated.
  const auto ended = service_error([&] {
    f.call("UpdateMapRun", {{"mapRunArn", map_run}, {"maxConcurrency", 5}});
  });
  CHECK(ended.type() == "ValidationException");
  CHECK(ended.message() == "Map Run is not running: '" + map_run + "'");
}

TEST_CASE("UpdateMapRun refuses values out of range and Map Runs that do not exist",
          "[engine][map-run]") {
  ServiceFixture f;
  const auto activity = f.create_activity("page");
  const auto sm = f.create_state_machine("pages", map_of_tasks(activity, 1));
  const auto map_run = only_map_run(f, f.start(sm, "p", R"([1, 2])"));
  const auto error_of = [&](const json& request) {
    return service_error([&] { f.call("UpdateMapRun", request); });
  };

  auto error = error_of({{"mapRunArn", map_run}, {"maxConcurrency", -1}});
  CHECK(error.type() == "ValidationException");
  CHECK(error.message() ==
        "1 validation error detected: Value '-1' at 'maxConcurrency' failed to satisfy "
        "constraint: Member must have value greater than or equal to 0");
  error = error_of({{"mapRunArn", map_run}, {"toleratedFailurePercentage", 100.5}});
  CHECK(error.type() == "ValidationException");
  CHECK(error.message().find("Member must have value less than or equal to 100") !=
        std::string::npos);
  error = error_of({{"mapRunArn", map_run}, {"toleratedFailureCount", -3}});
  CHECK(error.message().find("'toleratedFailureCount'") != std::string::npos);
  error = error_of({{"mapRunArn", map_run}, {"maxConcurrency", "two"}});
  CHECK(error.type() == "ValidationException");
  CHECK(error.message() == "STRING_VALUE can not be converted to an Integer");

  error = error_of({{"mapRunArn", map_run.substr(0, map_run.rfind(':')) +
                                      ":00000000-0000-4000-8000-000000000000"},
                    {"maxConcurrency", 2}});
  CHECK(error.type() == "ResourceNotFound");
  error = error_of({{"mapRunArn", "arn:aws:states:nowhere"}});
  CHECK(error.type() == "InvalidArn");
  error = error_of(json::object());
  CHECK(error.type() == "ValidationException");

  // Nothing to change is accepted and changes nothing.
  CHECK(f.call("UpdateMapRun", {{"mapRunArn", map_run}}) == json::object());
  CHECK(f.call("DescribeMapRun", {{"mapRunArn", map_run}})["maxConcurrency"] == 1);
}
