#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/worker/worker.hpp"

#include "test_handlers.hpp"
#include "worker_test_support.hpp"

using namespace loveless::worker;
using namespace loveless::worker::testing;
using loveless::engine::testing::task_definition;
using namespace std::chrono_literals;

namespace {

ActivityWorkerOptions options_for(const EngineServer& engine, const std::string& activity_arn,
                                  int max_tasks = 1) {
  ActivityWorkerOptions options;
  options.endpoint = engine.url();
  options.activity_arn = activity_arn;
  options.worker_name = "sdk-worker-1";
  options.heartbeat_interval = 200ms;
  options.max_tasks = max_tasks;
  return options;
}

// Runs the adapter until it has served `options.max_tasks` tasks.
int run_worker(const Handler& handler, const ActivityWorkerOptions& options) {
  int exit_code = -1;
  std::thread worker([&] { exit_code = run_activity_worker(handler, options); });
  worker.join();
  return exit_code;
}

nlohmann::json output_of(EngineServer& engine, const std::string& execution_arn) {
  return nlohmann::json::parse(engine.describe(execution_arn)["output"].get<std::string>());
}

}  // namespace

TEST_CASE(
    "activity worker: the handler's output becomes the execution's output, with the "
    "worker name on ActivityStarted",
    "[worker][activity]") {
  EngineServer engine;
  const auto activity = engine.create_activity("double");
  const auto sm = engine.create_state_machine("sm", task_definition(activity));
  const auto run = engine.start(sm, "r", R"({"n": 7})");

  CHECK(run_worker(double_handler, options_for(engine, activity)) == 0);
  REQUIRE(engine.wait_for_status(run, "SUCCEEDED"));
  CHECK(output_of(engine, run) == nlohmann::json{{"doubled", 14}, {"scratch_exists", true}});
  const auto started = engine.first_event(run, "ActivityStarted");
  REQUIRE(started.is_object());
  CHECK(started["activityStartedEventDetails"]["workerName"] == "sdk-worker-1");
}

TEST_CASE("activity worker: serves several tasks in turn and stops after max_tasks",
          "[worker][activity]") {
  EngineServer engine;
  const auto activity = engine.create_activity("double");
  const auto sm = engine.create_state_machine("sm", task_definition(activity));
  std::vector<std::string> runs;
  runs.reserve(3);
  for (int n = 0; n < 3; ++n) {
    runs.push_back(
        engine.start(sm, "r" + std::to_string(n), R"({"n": )" + std::to_string(n) + "}"));
  }
  CHECK(run_worker(double_handler, options_for(engine, activity, 3)) == 0);
  for (int n = 0; n < 3; ++n) {
    REQUIRE(engine.wait_for_status(runs[n], "SUCCEEDED"));
    CHECK(output_of(engine, runs[n])["doubled"] == 2 * n);
  }
}

TEST_CASE("activity worker: a TaskFailure becomes ActivityFailed with its error and cause",
          "[worker][activity]") {
  EngineServer engine;
  const auto activity = engine.create_activity("double");
  const auto sm = engine.create_state_machine("sm", task_definition(activity));
  const auto run = engine.start(sm, "r", R"({"n": 3, "refuse": true})");

  CHECK(run_worker(double_handler, options_for(engine, activity)) == 0);
  REQUIRE(engine.wait_for_status(run, "FAILED"));
  const auto failed = engine.first_event(run, "ActivityFailed");
  REQUIRE(failed.is_object());
  CHECK(failed["activityFailedEventDetails"]["error"] == "Demo.Refused");
  CHECK(failed["activityFailedEventDetails"]["cause"] == "refusing n=3");
  CHECK(engine.describe(run)["error"] == "Demo.Refused");
}

TEST_CASE("activity worker: any other exception fails the task as Worker.UnhandledException",
          "[worker][activity]") {
  EngineServer engine;
  const auto activity = engine.create_activity("double");
  const auto sm = engine.create_state_machine("sm", task_definition(activity));
  const auto run = engine.start(sm, "r", R"({"crash": "disk on fire"})");

  CHECK(run_worker(double_handler, options_for(engine, activity)) == 0);
  REQUIRE(engine.wait_for_status(run, "FAILED"));
  const auto failed = engine.first_event(run, "ActivityFailed");
  REQUIRE(failed.is_object());
  CHECK(failed["activityFailedEventDetails"]["error"] == "Worker.UnhandledException");
  CHECK(failed["activityFailedEventDetails"]["cause"] == "disk on fire");
}

TEST_CASE("activity worker: error and cause are cut to SendTaskFailure's 256 and 32768 characters",
          "[worker][activity]") {
  EngineServer engine;
  const auto activity = engine.create_activity("double");
  const auto sm = engine.create_state_machine("sm", task_definition(activity));
  const auto run = engine.start(sm, "r", R"({"long_error": true})");

  CHECK(run_worker(double_handler, options_for(engine, activity)) == 0);
  // Without the cut, the engine would refuse SendTaskFailure and the task
  // would stay open.
  REQUIRE(engine.wait_for_status(run, "FAILED"));
  const auto details = engine.first_event(run, "ActivityFailed")["activityFailedEventDetails"];
  CHECK(details["error"] == std::string(256, 'E'));
  CHECK(details["cause"] == std::string(32'768, 'c'));
}

TEST_CASE("activity worker: heartbeats keep a task with HeartbeatSeconds 1 alive through 2.5 s",
          "[worker][activity][heartbeat]") {
  EngineServer engine;
  const auto activity = engine.create_activity("sleep");
  const auto sm = engine.create_state_machine(
      "sm", task_definition(activity, R"("HeartbeatSeconds": 1, "TimeoutSeconds": 30)"));
  const auto run = engine.start(sm, "r", R"({"ms": 2500})");

  auto options = options_for(engine, activity);
  options.heartbeat_interval = 300ms;
  CHECK(run_worker(sleep_handler, options) == 0);
  REQUIRE(engine.wait_for_status(run, "SUCCEEDED"));
  CHECK(output_of(engine, run) == nlohmann::json{{"slept", true}, {"stopping", false}});
  CHECK(engine.first_event(run, "ActivityTimedOut").is_null());
}

TEST_CASE(
    "activity worker: a heartbeat answered with TaskTimedOut marks the task lost and "
    "nothing is reported",
    "[worker][activity][heartbeat]") {
  EngineServer engine;
  const auto activity = engine.create_activity("slow");
  const auto sm =
      engine.create_state_machine("sm", task_definition(activity, R"("HeartbeatSeconds": 1)"));
  const auto run = engine.start(sm, "r", "{}");

  std::atomic<bool> noticed{false};
  const Handler handler = [&](const nlohmann::json&, TaskContext& context) -> nlohmann::json {
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < until && !context.task_lost()) {
      std::this_thread::sleep_for(10ms);
    }
    noticed = context.task_lost() && context.stopping();
    return {{"late", true}};
  };
  auto options = options_for(engine, activity);
  // Slower than HeartbeatSeconds: the first heartbeat finds the task timed out.
  options.heartbeat_interval = 1500ms;
  CHECK(run_worker(handler, options) == 0);
  CHECK(noticed);
  REQUIRE(engine.wait_for_status(run, "FAILED"));
  // Step Functions records a heartbeat expiry as States.Timeout.
  CHECK(engine.describe(run)["error"] == "States.Timeout");
  CHECK(engine.first_event(run, "ActivityTimedOut").is_object());
  CHECK(engine.first_event(run, "ActivitySucceeded").is_null());
}

TEST_CASE("activity worker: context.heartbeat() from the handler heartbeats at once",
          "[worker][activity][heartbeat]") {
  EngineServer engine;
  const auto activity = engine.create_activity("manual");
  const auto sm =
      engine.create_state_machine("sm", task_definition(activity, R"("HeartbeatSeconds": 1)"));
  const auto run = engine.start(sm, "r", "{}");

  const Handler handler = [](const nlohmann::json&, TaskContext& context) -> nlohmann::json {
    CHECK(context.role() == Role::kActivity);
    CHECK(context.remaining_time() == std::chrono::milliseconds::max());
    CHECK_FALSE(context.invocation_id().empty());
    // The background interval alone (10 s) would let the task time out.
    for (int i = 0; i < 5; ++i) {
      std::this_thread::sleep_for(500ms);
      context.heartbeat();
    }
    return {{"ok", true}};
  };
  auto options = options_for(engine, activity);
  options.heartbeat_interval = 10s;
  CHECK(run_worker(handler, options) == 0);
  REQUIRE(engine.wait_for_status(run, "SUCCEEDED"));
}

TEST_CASE("activity worker: retries while the endpoint is down instead of crashing",
          "[worker][activity]") {
  const int port = unused_port();
  ActivityWorkerOptions options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  options.activity_arn = "arn:aws:states:us-east-1:123456789012:activity:double";
  options.worker_name = "sdk-worker-1";
  options.max_tasks = 1;
  int exit_code = -1;
  std::thread worker([&] { exit_code = run_activity_worker(double_handler, options); });
  std::this_thread::sleep_for(500ms);  // a few refused polls

  EngineServer engine(loveless::engine::testing::fast_options(), port);
  REQUIRE(engine.create_activity("double") == options.activity_arn);
  const auto sm = engine.create_state_machine("sm", task_definition(options.activity_arn));
  const auto run = engine.start(sm, "r", R"({"n": 21})");
  worker.join();
  CHECK(exit_code == 0);
  REQUIRE(engine.wait_for_status(run, "SUCCEEDED"));
  CHECK(output_of(engine, run)["doubled"] == 42);
}
