// The latency primitive on a LocalStack (process fleet, or the docker fleet
// when built with LOVELESS_TEST_DOCKER): with `latency_proxies` on, each
// worker reaches the engine through a proxy of its own, `Worker::set_latency`
// delays exactly that worker's calls, and a worker that ends releases its
// routes. The delay is proved by lower bounds the proxy guarantees (a delayed
// byte cannot arrive early), never by how fast anything else is.
#include <chrono>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/stacks/latency_routes.hpp"
#include "loveless/stacks/local_stack.hpp"

#include "support/temp_dir.hpp"

#if LOVELESS_TEST_DOCKER
#include "docker_test_support.hpp"
#endif

namespace loveless::stacks {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

/// The stack under test, or null when its fleet cannot run here (docker
/// without an engine: the test is skipped by `docker_or_skip`).
std::unique_ptr<LocalStack> make_stack(const std::filesystem::path& runs_root,
                                       bool latency_proxies) {
  LocalStackOptions options;
  options.runs_root = runs_root;
  options.service.activity_poll_timeout = 1s;
  options.latency_proxies = latency_proxies;
#if LOVELESS_TEST_DOCKER
  if (!testing::docker_or_skip({testing::kStackImage})) return nullptr;
  options.platform = FleetPlatform::kDocker;
#endif
  auto stack = std::make_unique<LocalStack>(options);
  stack->up();
  return stack;
}

PoolSpec stack_worker() {
  PoolSpec spec;
#if LOVELESS_TEST_DOCKER
  spec.image = testing::kStackImage;
#else
  spec.command = {LOVELESS_TEST_STACK_WORKER};
#endif
  return spec;
}

/// An activity pool `echo` (one worker) and a Lambda function `shout`, in a
/// workflow that calls one, then the other.
struct EchoApp {
  std::shared_ptr<Pool> activity_pool;
  std::shared_ptr<Pool> function_pool;
  std::string state_machine;
};

EchoApp deploy_echo(LocalStack& stack) {
  EchoApp app;
  auto activity = stack_worker();
  activity.name = "echo";
  activity.activity_arn = stack.create_activity("echo");
  app.activity_pool = stack.add_activity_pool(activity);
  app.function_pool = stack.add_function("shout", stack_worker(), 10s, 1);
  const json definition = {
      {"StartAt", "Work"},
      {"States",
       // A task handed to a killed worker's poll still open at the engine is
       // lost, as on AWS: the timeout and retry recover it.
       {{"Work",
         {{"Type", "Task"},
          {"Resource", activity.activity_arn},
          {"TimeoutSeconds", 5},
          {"Retry", json::array({{{"ErrorEquals", {"States.Timeout"}}, {"MaxAttempts", 2}}})},
          {"ResultPath", "$.activity"},
          {"Next", "Call"}}},
        {"Call",
         {{"Type", "Task"},
          {"Resource", stack.function_arn("shout")},
          {"ResultPath", "$.function"},
          {"End", true}}}}}};
  app.state_machine = stack.deploy("echo-and-shout", definition.dump());
  return app;
}

/// Runs one execution to its end (at most 60 s); returns its wall time from
/// StartExecution to the status leaving RUNNING, and its status.
std::pair<std::chrono::milliseconds, std::string> run_once(LocalStack& stack,
                                                           const std::string& state_machine) {
  auto client = stack.client();
  const auto started = Clock::now();
  const auto arn = client
                       .call("StartExecution",
                             {{"stateMachineArn", state_machine}, {"input", R"({"n":1})"}})
                           ["executionArn"]
                       .get<std::string>();
  std::string status = "RUNNING";
  while (status == "RUNNING" && Clock::now() - started < 60s) {
    std::this_thread::sleep_for(20ms);
    status = client.call("DescribeExecution", {{"executionArn", arn}})["status"].get<std::string>();
  }
  return {std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started), status};
}

std::shared_ptr<Worker> only_live_worker(const Pool& pool) {
  const auto live = pool.live_workers();
  REQUIRE(live.size() == 1);
  return live.front();
}

/// Waits up to 10 s for `condition`.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = Clock::now() + 10s;
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

}  // namespace

TEST_CASE("set_latency delays one worker's calls to the engine and 0ms heals them",
          "[latency][integration]") {
  const loveless::testing::TempDir runs;
  const auto stack = make_stack(runs.path(), true);
  if (!stack) return;
  REQUIRE(stack->traffic() != nullptr);
  const auto app = deploy_echo(*stack);
  // A first execution starts the function's environment, so both workers exist.
  REQUIRE(run_once(*stack, app.state_machine).second == "SUCCEEDED");
  const auto activity_worker = only_live_worker(*app.activity_pool);
  const auto environment = only_live_worker(*app.function_pool);
  CHECK(activity_worker->capabilities().contains(Primitive::kLatency));
  CHECK(environment->capabilities().contains(Primitive::kLatency));

  constexpr auto kDelay = 400ms;
  activity_worker->set_latency(kDelay);
  environment->set_latency(kDelay);
  const auto [delayed, delayed_status] = run_once(*stack, app.state_machine);
  REQUIRE(delayed_status == "SUCCEEDED");
  // Each task crosses its worker's proxy at least twice before the engine
  // records its end: the task handed to the worker (a poll's answer or the
  // next invocation) and the result sent back. Two tasks: four delays.
  CHECK(delayed >= 4 * kDelay);

  activity_worker->set_latency(0ms);
  environment->set_latency(0ms);
  auto* routes = dynamic_cast<LatencyRoutes*>(stack->traffic());
  REQUIRE(routes != nullptr);
  CHECK(routes->latency(activity_worker->id()) == 0ms);
  CHECK(routes->latency(environment->id()) == 0ms);
  const auto [healed, healed_status] = run_once(*stack, app.state_machine);
  REQUIRE(healed_status == "SUCCEEDED");
  CHECK(healed < delayed);

  // The pool records each change with the delay.
  std::vector<std::string> changes;
  for (const auto& event : app.activity_pool->events()) {
    if (event.kind == PoolEvent::Kind::kLatencySet) changes.push_back(event.detail);
  }
  CHECK(changes == std::vector<std::string>{"400 ms", "0 ms"});
}

TEST_CASE("a worker that ends releases its routes and its replacement starts without delay",
          "[latency][integration]") {
  const loveless::testing::TempDir runs;
  const auto stack = make_stack(runs.path(), true);
  if (!stack) return;
  auto* routes = dynamic_cast<LatencyRoutes*>(stack->traffic());
  REQUIRE(routes != nullptr);
  const auto app = deploy_echo(*stack);
  const auto first = only_live_worker(*app.activity_pool);
  first->set_latency(250ms);
  CHECK(routes->latency(first->id()) == 250ms);
  first->kill();
  REQUIRE(eventually([&] {
    const auto live = app.activity_pool->live_workers();
    return live.size() == 1 && live.front()->id() != first->id() &&
           live.front()->state() == WorkerState::kRunning;
  }));
  // The dead worker's route is gone; the replacement starts without delay.
  REQUIRE(eventually([&] { return routes->latency(first->id()) == 0ms; }));
  CHECK_THROWS_AS(routes->set_latency(first->id(), 1ms), std::out_of_range);
  CHECK(routes->latency(only_live_worker(*app.activity_pool)->id()) == 0ms);
  CHECK_THROWS_AS(first->set_latency(1ms), UnsupportedPrimitive);
  CHECK(run_once(*stack, app.state_machine).second == "SUCCEEDED");
}

TEST_CASE("without latency proxies a worker refuses set_latency and says why",
          "[latency][integration]") {
  const loveless::testing::TempDir runs;
  const auto stack = make_stack(runs.path(), false);
  if (!stack) return;
  CHECK(stack->traffic() == nullptr);
  const auto app = deploy_echo(*stack);
  const auto worker = only_live_worker(*app.activity_pool);
  CHECK_FALSE(worker->capabilities().contains(Primitive::kLatency));
  CHECK_THROWS_WITH(worker->set_latency(100ms),
                    Catch::Contains("routes no worker through a proxy"));
  CHECK(run_once(*stack, app.state_machine).second == "SUCCEEDED");
}

}  // namespace loveless::stacks
