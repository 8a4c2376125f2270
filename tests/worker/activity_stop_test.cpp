#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "worker_test_support.hpp"
#include <signal.h>

using namespace loveless::worker::testing;
using loveless::engine::testing::fast_options;
using loveless::engine::testing::task_definition;
using loveless::engine::testing::wait_until;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> activity_environment(const EngineServer& engine,
                                                        const std::string& activity_arn,
                                                        const std::string& grace_ms) {
  return {{"AWS_ENDPOINT_URL_SFN", engine.url()},
          {"LOVELESS_ACTIVITY_ARN", activity_arn},
          {"LOVELESS_WORKER_NAME", "stoppable"},
          {"LOVELESS_HEARTBEAT_INTERVAL_MS", "200"},
          {"LOVELESS_STOP_GRACE_MS", grace_ms}};
}

}  // namespace

TEST_CASE("activity worker: SIGTERM while idle in a 60 s long poll exits 0 within a second",
          "[worker][activity][sigterm]") {
  // The AWS long poll: the worker's GetActivityTask blocks for the whole test.
  EngineServer engine(fast_options(60s));
  const auto activity = engine.create_activity("idle");
  ChildWorker worker({"double"}, activity_environment(engine, activity, "2000"));
  std::this_thread::sleep_for(500ms);  // started and blocked in GetActivityTask
  REQUIRE_FALSE(worker.wait_exit(0ms));

  const auto sent = std::chrono::steady_clock::now();
  worker.signal(SIGTERM);
  const auto exit_code = worker.wait_exit(3s);
  const auto took = std::chrono::steady_clock::now() - sent;
  INFO(worker.stderr_text());
  REQUIRE(exit_code);
  CHECK(*exit_code == 0);
  CHECK(took < 1s);
}

TEST_CASE("activity worker: SIGTERM fails a task that outlasts the grace with Worker.Terminated",
          "[worker][activity][sigterm]") {
  EngineServer engine;
  const auto activity = engine.create_activity("slow");
  const auto sm = engine.create_state_machine("sm", task_definition(activity));
  const auto run = engine.start(sm, "r", R"({"ms": 30000})");
  ChildWorker worker({"sleep"}, activity_environment(engine, activity, "300"));
  REQUIRE(wait_until([&] { return engine.first_event(run, "ActivityStarted").is_object(); }));

  const auto sent = std::chrono::steady_clock::now();
  worker.signal(SIGTERM);
  const auto exit_code = worker.wait_exit(5s);
  const auto took = std::chrono::steady_clock::now() - sent;
  INFO(worker.stderr_text());
  REQUIRE(exit_code);
  CHECK(*exit_code == 0);
  CHECK(took < 2s);  // the 300 ms grace and one report, not the 30 s handler
  REQUIRE(engine.wait_for_status(run, "FAILED"));
  const auto details = engine.first_event(run, "ActivityFailed")["activityFailedEventDetails"];
  CHECK(details["error"] == "Worker.Terminated");
  CHECK(details["cause"] == "worker received SIGTERM");
}

TEST_CASE("activity worker: SIGTERM lets a task that finishes within the grace report success",
          "[worker][activity][sigterm]") {
  EngineServer engine;
  const auto activity = engine.create_activity("short");
  const auto sm = engine.create_state_machine("sm", task_definition(activity));
  const auto run = engine.start(sm, "r", R"({"ms": 800})");
  ChildWorker worker({"sleep"}, activity_environment(engine, activity, "5000"));
  REQUIRE(wait_until([&] { return engine.first_event(run, "ActivityStarted").is_object(); }));

  worker.signal(SIGTERM);
  const auto exit_code = worker.wait_exit(5s);
  INFO(worker.stderr_text());
  REQUIRE(exit_code);
  CHECK(*exit_code == 0);
  REQUIRE(engine.wait_for_status(run, "SUCCEEDED"));
  // The handler could see the stop (TaskContext::stopping).
  CHECK(nlohmann::json::parse(engine.describe(run)["output"].get<std::string>()) ==
        nlohmann::json{{"slept", true}, {"stopping", true}});
  const auto started = engine.first_event(run, "ActivityStarted");
  CHECK(started["activityStartedEventDetails"]["workerName"] == "stoppable");
}

TEST_CASE("worker main: usage errors exit 2 and name the handlers", "[worker][main]") {
  SECTION("no handler name") {
    ChildWorker worker({}, {});
    CHECK(worker.wait_exit(5s) == 2);
    CHECK_THAT(worker.stderr_text(), Catch::Contains("handlers: double sleep"));
  }
  SECTION("an unknown handler") {
    ChildWorker worker({"triple"}, {{"AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:1"},
                                    {"LOVELESS_ACTIVITY_ARN", "arn:x"}});
    CHECK(worker.wait_exit(5s) == 2);
    CHECK_THAT(worker.stderr_text(), Catch::Contains("unknown handler 'triple'"));
    CHECK_THAT(worker.stderr_text(), Catch::Contains("handlers: double sleep"));
  }
  SECTION("an Activity worker without LOVELESS_ACTIVITY_ARN") {
    ChildWorker worker({"double"}, {{"AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:1"}});
    CHECK(worker.wait_exit(5s) == 2);
    CHECK_THAT(worker.stderr_text(), Catch::Contains("LOVELESS_ACTIVITY_ARN is not set"));
  }
  SECTION("a malformed number") {
    ChildWorker worker({"double"}, {{"AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:1"},
                                    {"LOVELESS_ACTIVITY_ARN", "arn:x"},
                                    {"LOVELESS_STOP_GRACE_MS", "soon"}});
    CHECK(worker.wait_exit(5s) == 2);
    CHECK_THAT(worker.stderr_text(), Catch::Contains("LOVELESS_STOP_GRACE_MS='soon'"));
  }
}
