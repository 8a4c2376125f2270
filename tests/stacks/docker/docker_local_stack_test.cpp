// A LocalStack on the docker fleet, end to end: the in-process engine on
// 127.0.0.1, an activity pool and a Lambda function whose workers are
// containers of the test stack image (host network, so they reach the engine
// and each environment's Runtime API on 127.0.0.1), sharing a store through a
// bind mount.
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/stacks/local_stack.hpp"

#include "docker_test_support.hpp"

using namespace loveless::stacks;
using namespace loveless::stacks::testing;
using nlohmann::json;

namespace {

// Polls DescribeExecution until the execution closes (or 60 s pass).
json wait_for(const LocalStack& stack, const std::string& execution_arn) {
  auto client = stack.client();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  json description;
  do {
    description = client.call("DescribeExecution", {{"executionArn", execution_arn}});
    if (description["status"] != "RUNNING") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  return description;
}

std::string worker_of_activity(const LocalStack& stack, const std::string& execution_arn) {
  const auto history =
      stack.client().call("GetExecutionHistory", {{"executionArn", execution_arn}});
  for (const auto& event : history["events"]) {
    if (event["type"] == "ActivityStarted") {
      return event["activityStartedEventDetails"].value("workerName", std::string());
    }
  }
  return {};
}

PoolSpec stack_worker_spec(const std::filesystem::path& store) {
  PoolSpec spec;
  spec.image = kStackImage;
  spec.mounts = {{store, "/store", false}};
  spec.environment = {{"LOVELESS_TEST_RECORD_DIR", "/store"},
                      {"LOVELESS_TEST_READ_FILE", "/store/input"}};
  return spec;
}

std::size_t files_starting_with(const std::filesystem::path& dir, const std::string& prefix) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("local stack on the docker fleet: an activity pool and a function end to end",
          "[docker][integration]") {
  const auto docker = docker_or_skip({kStackImage});
  if (!docker) return;
  const TempDir runs;
  const TempDir shared;
  const auto store = shared.path() / "store";
  std::filesystem::create_directories(store);
  std::ofstream(store / "input") << "shared input";

  LocalStackOptions options;
  options.runs_root = runs.path();
  options.platform = FleetPlatform::kDocker;
  options.service.activity_poll_timeout = std::chrono::milliseconds(1000);
  LocalStack stack(options);
  stack.up();
  REQUIRE(stack.fleet().platform() == "docker");

  auto activity = stack_worker_spec(store);
  activity.name = "echo";
  activity.replicas = 2;
  activity.activity_arn = stack.create_activity("echo");
  const auto activity_pool = stack.add_activity_pool(activity);
  REQUIRE(activity_pool->live_workers().size() == 2);
  const auto function_pool =
      stack.add_function("shout", stack_worker_spec(store), std::chrono::seconds(10), 2);

  const json definition = {{"StartAt", "Work"},
                           {"States",
                            {{"Work",
                              {{"Type", "Task"},
                               {"Resource", activity.activity_arn},
                               {"ResultPath", "$.activity"},
                               {"Next", "Call"}}},
                             {"Call",
                              {{"Type", "Task"},
                               {"Resource", stack.function_arn("shout")},
                               {"ResultPath", "$.function"},
                               {"End", true}}}}}};
  const auto state_machine = stack.deploy("echo-and-shout", definition.dump());
  auto client = stack.client();
  const auto run = [&](int n) {
    return client
        .call("StartExecution", {{"stateMachineArn", state_machine},
                                 {"input", json{{"n", n}}.dump()}})["executionArn"]
        .get<std::string>();
  };

  std::vector<std::string> executions;
  for (int n = 1; n <= 3; ++n) executions.push_back(run(n));
  for (int n = 1; n <= 3; ++n) {
    INFO("execution " << n);
    const auto description = wait_for(stack, executions[n - 1]);
    REQUIRE(description["status"] == "SUCCEEDED");
    const auto output = json::parse(description["output"].get<std::string>());
    CHECK(output["activity"]["role"] == "activity");
    CHECK(output["activity"]["echo"] == json{{"n", n}});
    CHECK(output["activity"]["read"] == "shared input");
    CHECK(output["function"]["role"] == "function");
    CHECK(output["function"]["echo"]["n"] == n);
    CHECK(output["function"]["read"] == "shared input");
    // The engine knows which container ran the activity task.
    const auto worker = worker_of_activity(stack, executions[n - 1]);
    CHECK(worker == output["activity"]["worker"]);
    CHECK(worker.rfind("echo-", 0) == 0);
    CHECK(output["function"]["worker"].get<std::string>().rfind("shout-", 0) == 0);
  }
  // Every task wrote into the mounted store, which is the host directory.
  CHECK(files_starting_with(store, "echo-") == 3);
  CHECK(files_starting_with(store, "shout-") == 3);

  // The environments are containers of the run, found by their labels.
  // (An environment the engine is launching meanwhile has no container yet.)
  REQUIRE(wait_until([&] {
    for (const auto& environment : function_pool->live_workers()) {
      if (environment->state() != WorkerState::kRunning) return false;
    }
    return true;
  }));
  const auto environments = function_pool->live_workers();
  REQUIRE_FALSE(environments.empty());
  for (const auto& environment : environments) {
    const auto state = docker->inspect_container(environment->platform_handle());
    CHECK(state.running);
    CHECK(state.labels.at("loveless.run") == stack.run_id());
    CHECK(state.labels.at("loveless.pool") == "shout");
  }

  // A killed environment is not replaced by the pool; the engine launches a
  // new one for the next invocation.
  for (const auto& environment : environments) environment->kill();
  // Once each environment's death is recorded, the engine knows it is gone.
  REQUIRE(wait_until([&] {
    const auto events = function_pool->events();
    for (const auto& environment : environments) {
      if (find_event(events, PoolEvent::Kind::kDied, environment->id()) == nullptr) return false;
    }
    return true;
  }));
  CHECK(function_pool->live_workers().empty());
  const auto after = wait_for(stack, run(4));
  INFO(after.dump());
  CHECK(after["status"] == "SUCCEEDED");
  CHECK(function_pool->workers().size() > environments.size());
  // A killed activity worker is replaced. (Killed while it long-polls, it may
  // take a task with it, as on AWS: the workflow's TimeoutSeconds and Retry
  // are what recover that, so this one is killed with no execution running.)
  activity_pool->live_workers().at(0)->kill();
  CHECK(wait_until([&] {
    return activity_pool->workers().size() == 3 && activity_pool->live_workers().size() == 2;
  }));

  const auto run_id = stack.run_id();
  stack.down();
  CHECK(docker->list_containers({{"loveless.run", run_id}}).empty());
}

TEST_CASE("local stack on the docker fleet: pools need an image", "[docker][integration]") {
  const auto docker = docker_or_skip({});
  if (!docker) return;
  const TempDir runs;
  LocalStackOptions options;
  options.runs_root = runs.path();
  options.platform = FleetPlatform::kDocker;
  LocalStack stack(options);
  stack.up();
  PoolSpec spec;
  spec.name = "imageless";
  spec.command = {"/bin/true"};
  spec.activity_arn = stack.create_activity("imageless");
  CHECK_THROWS_WITH(stack.add_activity_pool(spec), Catch::Contains("has no image"));
  CHECK_THROWS_WITH(stack.add_function("imageless-fn", spec, std::chrono::seconds(1), 1),
                    Catch::Contains("has no image"));
}

TEST_CASE("fleet platforms are named process and docker", "[docker][unit]") {
  CHECK(parse_fleet_platform("process") == FleetPlatform::kProcess);
  CHECK(parse_fleet_platform("docker") == FleetPlatform::kDocker);
  CHECK_FALSE(parse_fleet_platform("aws"));
  CHECK(to_string(FleetPlatform::kDocker) == "docker");
  CHECK(to_string(FleetPlatform::kProcess) == "process");
  CHECK(LocalStackOptions{}.platform == FleetPlatform::kProcess);
}
