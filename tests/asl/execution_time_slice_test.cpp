// Time slices (Execution::set_time_slice): the engine bounds how long one call
// runs states so that a loop of states holds neither the caller's thread nor
// the execution's lock (issue 16). Slicing must change when states run, never
// what they record.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "virtual_host.hpp"

using namespace loveless::asl;
using namespace loveless::asl::testing;
using namespace std::chrono_literals;

namespace {

/// Resumes after every yield and fires timers once nothing is ready, until
/// the execution ends; returns how often it resumed.
int run_sliced_to_end(Harness& h) {
  int resumes = 0;
  h.execution.start();
  while (h.execution.status() == ExecutionStatus::kRunning) {
    if (h.execution.has_pending_work()) {
      h.execution.resume();
      ++resumes;
    } else if (!h.host.fire_next_timer()) {
      break;
    }
  }
  return resumes;
}

// Parallel branches and Map iterations interleave in the ready queue, a Wait
// goes through a timer, a Retry through another: every path a yield can
// interrupt.
constexpr const char* kBusyDefinition = R"({"StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "Next": "Each", "ResultPath": "$.both", "Branches": [
    {"StartAt": "A1", "States": {"A1": {"Type": "Pass", "Next": "A2"},
                                 "A2": {"Type": "Pass", "Result": "a", "End": true}}},
    {"StartAt": "B1", "States": {"B1": {"Type": "Wait", "Seconds": 1, "Next": "B2"},
                                 "B2": {"Type": "Pass", "Result": "b", "End": true}}}]},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each", "Next": "Fail once",
    "ItemProcessor": {"StartAt": "Pick", "States": {
      "Pick": {"Type": "Choice", "Choices": [
        {"Variable": "$", "NumericGreaterThan": 2, "Next": "Big"}], "Default": "Small"},
      "Big": {"Type": "Pass", "Result": "big", "End": true},
      "Small": {"Type": "Pass", "Result": "small", "End": true}}}},
  "Fail once": {"Type": "Parallel", "Next": "Done", "ResultPath": null,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 1}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done", "ResultPath": "$.caught"}],
    "Branches": [{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}}]},
  "Done": {"Type": "Succeed"}}})";

}  // namespace

TEST_CASE("a sliced execution records what one call would, in the same order",
          "[execution][slice]") {
  const nlohmann::json input = {{"items", {1, 2, 3, 4, 5}}};
  Harness whole(kBusyDefinition, input);
  whole.run_to_end();
  REQUIRE(whole.execution.status() == ExecutionStatus::kSucceeded);

  Harness sliced(kBusyDefinition, input);
  // Every call runs one step and yields.
  sliced.execution.set_time_slice(1ns);
  const int resumes = run_sliced_to_end(sliced);
  CHECK(resumes > 20);
  CHECK(sliced.execution.status() == ExecutionStatus::kSucceeded);
  CHECK(sliced.execution.output() == whole.execution.output());
  REQUIRE(sliced.execution.history().size() == whole.execution.history().size());
  for (std::size_t i = 0; i < whole.execution.history().size(); ++i) {
    const auto& expected = whole.execution.history()[i];
    const auto& actual = sliced.execution.history()[i];
    INFO("event " << expected.id << " " << expected.type);
    CHECK(actual.type == expected.type);
    CHECK(actual.id == expected.id);
    CHECK(actual.previous_event_id == expected.previous_event_id);
    CHECK(actual.timestamp == expected.timestamp);
    CHECK(actual.details == expected.details);
  }
}

TEST_CASE("a loop of states yields between slices instead of running to its quota in one call",
          "[execution][slice]") {
  const std::string loop =
      R"({"StartAt": "Again", "States": {"Again": {"Type": "Pass", "Next": "Again"}}})";
  SECTION("unsliced, one call runs it to the history quota") {
    Harness h(loop);
    h.execution.start();
    CHECK_FALSE(h.execution.has_pending_work());
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
  }
  SECTION("sliced, start returns with work left and resume goes on") {
    Harness h(loop);
    h.execution.set_time_slice(1ns);
    h.execution.start();
    CHECK(h.execution.status() == ExecutionStatus::kRunning);
    CHECK(h.execution.has_pending_work());
    const auto after_start = h.execution.history().size();
    CHECK(after_start < 10);
    h.execution.resume();
    CHECK(h.execution.history().size() > after_start);
    run_sliced_to_end(h);
    CHECK(h.execution.status() == ExecutionStatus::kFailed);
    CHECK(h.execution.history().size() == 25'000);
    CHECK_FALSE(h.execution.has_pending_work());
  }
  SECTION("a stop between slices ends it with nothing left to resume") {
    Harness h(loop);
    h.execution.set_time_slice(1ns);
    h.execution.start();
    REQUIRE(h.execution.has_pending_work());
    h.execution.stop("Stopped", "by a test");
    CHECK(h.execution.status() == ExecutionStatus::kAborted);
    CHECK_FALSE(h.execution.has_pending_work());
    CHECK(h.execution.history().back().type == "ExecutionAborted");
  }
}
