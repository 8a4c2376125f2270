// The bounds that keep one execution from taking the engine's process down:
// AWS's 25,000-event history quota, the local bound on payload text, and the
// nesting depth of a state's output (issue 16).
#include <string>

#include <catch2/catch.hpp>

#include "virtual_host.hpp"

using namespace loveless::asl;
using namespace loveless::asl::testing;

TEST_CASE("event 25,000 is ExecutionSucceeded or else ExecutionFailed", "[execution][limits]") {
  SECTION("a Pass loop with no end") {
    Harness h(R"({"StartAt": "Again", "States": {"Again": {"Type": "Pass", "Next": "Again"}}})");
    h.run_to_end();
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.error() == "States.Runtime");
    // AWS's cause, measured against AWS (floci-io/floci issue #2734).
    CHECK(h.execution.cause() == "The execution reached the maximum number of history events (25000).");
    REQUIRE(h.execution.history().size() == 25'000);
    CHECK(h.execution.history().back().type == "ExecutionFailed");
    CHECK(h.execution.history().back().id == 25'000);
  }
  SECTION("an execution whose event 25,000 is ExecutionSucceeded succeeds") {
    // ExecutionStarted, a Pass (2 events), the Map's Entered, Started,
    // Succeeded and Exited, 4 events per item, ExecutionSucceeded:
    // 8 + 4 * 6,248 = 25,000.
    nlohmann::json items = nlohmann::json::array();
    for (int i = 0; i < 6'248; ++i) items.push_back(i);
    Harness h(R"({"StartAt": "First", "States": {
        "First": {"Type": "Pass", "Next": "Each"},
        "Each": {"Type": "Map",
          "Iterator": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}},
          "End": true}}})",
              items);
    h.run_to_end();
    CHECK(h.execution.status() == ExecutionStatus::kSucceeded);
    REQUIRE(h.execution.history().size() == 25'000);
    CHECK(h.execution.history().back().type == "ExecutionSucceeded");
  }
}

TEST_CASE("a loop carrying a large payload stops at the local engine's 1 GiB of history",
          "[execution][limits]") {
  const std::string payload(200'000, 'x');
  Harness h(R"({"StartAt": "Again", "States": {"Again": {"Type": "Pass", "Next": "Again"}}})",
            nlohmann::json{{"payload", payload}});
  h.run_to_end();
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.Runtime");
  CHECK_THAT(h.execution.cause(), Catch::Contains("1 GiB"));
  // About 5,400 events of 200 KB, far before the 25,000-event quota.
  CHECK(h.execution.history().size() < 6'000);
  CHECK(h.execution.history().back().type == "ExecutionFailed");
}

TEST_CASE("a state output nested deeper than 1,000 levels fails with DataLimitExceeded",
          "[execution][limits]") {
  Harness h(R"({"StartAt": "Wrap", "States": {"Wrap": {"Type": "Pass",
      "Parameters": {"inner.$": "$"}, "Next": "Wrap"}}})");
  h.run_to_end();
  CHECK(h.execution.status() == ExecutionStatus::kFailed);
  CHECK(h.execution.error() == "States.DataLimitExceeded");
  CHECK_THAT(h.execution.cause(), Catch::Contains("deeper than 1000 levels"));
  CHECK(h.count("PassStateExited") == 999);
}
