// Workers that cannot start: an activity pool replaces them with a growing
// delay and, after five early deaths in a row, says why it is failing; a
// Lambda environment that dies before its first invocation fails that
// invocation with Runtime.ExitError instead of being launched again forever.
// Real processes (test_sleeper), a real engine (LocalStack).
#include "loveless/stacks/crash_loop.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/stacks/local_stack.hpp"

#include "fleet_test_support.hpp"

namespace loveless::stacks::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::size_t count_of(const Pool& pool, PoolEvent::Kind kind) {
  std::size_t count = 0;
  for (const auto& event : pool.events()) count += event.kind == kind ? 1 : 0;
  return count;
}

TEST_CASE("a pool whose workers exit at start backs off and reports why it fails", "[crash_loop]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-crashy"));
  // Prints "stderr crashy-<n>", then exits 3 at once.
  const auto pool = fleet->add_activity_pool(sleeper_pool("crashy", {"--exit-after", "0", "3"}));
  // Deaths 1..4 wait 0.1 + 0.2 + 0.4 + 0.8 s before their replacements.
  REQUIRE(wait_until([&] { return pool->failure().has_value(); }, seconds(6)));
  const auto failure = *pool->failure();
  INFO(failure);
  CHECK(failure.starts_with(
      "pool 'crashy' is crash-looping: 5 workers in a row exited within 5 s of starting, before "
      "asking for work; the last, crashy-5, ended with exit 3; the end of its log " +
      (runs.path() / "run-crashy" / "logs" / "crashy-5.log").string() + ":\n"));
  CHECK(failure.find("  | stderr crashy-5") != std::string::npos);
  // Without backoff the same 1.5 s hold hundreds of starts.
  CHECK(count_of(*pool, PoolEvent::Kind::kStarted) <= 6);
  // Still replacing, at the longest delay: the pool keeps its desired size.
  std::this_thread::sleep_for(milliseconds(300));
  CHECK(count_of(*pool, PoolEvent::Kind::kStarted) <= 7);
}

TEST_CASE("workers ended by faults are replaced at once and never make a crash loop",
          "[crash_loop]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-killed"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("killed"));
  const auto started = std::chrono::steady_clock::now();
  for (int kill = 0; kill < 6; ++kill) {
    std::shared_ptr<Worker> live;
    REQUIRE(wait_until([&] {
      const auto workers = pool->live_workers();
      if (workers.empty() || workers.front()->state() != WorkerState::kRunning) return false;
      live = workers.front();
      return true;
    }));
    live->kill();
    REQUIRE(wait_until([&] { return live->state() == WorkerState::kDead; }));
  }
  REQUIRE(wait_until([&] { return pool->live_workers().size() == 1; }));
  CHECK(std::chrono::steady_clock::now() - started < seconds(2));
  CHECK_FALSE(pool->failure().has_value());
}

TEST_CASE("the backoff doubles from 100 ms to 5 s and resets after a worker that served",
          "[crash_loop]") {
  CrashLoopGuard guard("p");
  const auto early = [](const std::string& id) {
    return CrashLoopGuard::Death{id, milliseconds(10), true, "exit 1", "/nonexistent.log"};
  };
  CHECK(guard.died(early("p-1")) == milliseconds(100));
  CHECK(guard.died(early("p-2")) == milliseconds(200));
  guard.served("p-3");
  CHECK(guard.died(early("p-3")) == milliseconds(0));  // it asked for work
  CHECK(guard.died(early("p-4")) == milliseconds(100));
  CHECK(guard.died({"p-5", seconds(6), true, "exit 1", ""}) == milliseconds(0));  // stayed up
  for (int i = 0; i < 10; ++i) guard.died(early("p-x"));
  CHECK(guard.died(early("p-y")) == milliseconds(5000));
  CHECK(guard.failure().has_value());
  CHECK(guard.failure()->find("(empty)") != std::string::npos);  // no log to quote
}

TEST_CASE("a Lambda environment that exits before its invocation fails it with Runtime.ExitError",
          "[crash_loop][lambda]") {
  TempDir runs;
  LocalStackOptions options;
  options.runs_root = runs.path();
  LocalStack stack(options);
  stack.up();
  PoolSpec spec;
  spec.command = {kSleeper, "--exit-after", "0", "3"};
  const auto pool = stack.add_function("crashy-fn", spec, seconds(30), 1);
  const auto definition = nlohmann::json{
      {"StartAt", "Call"},
      {"States",
       {{"Call",
         {{"Type", "Task"}, {"Resource", stack.function_arn("crashy-fn")}, {"End", true}}}}}};
  const auto machine = stack.deploy("crashy", definition.dump());
  auto client = stack.client();
  const auto execution =
      client.call("StartExecution", {{"stateMachineArn", machine}, {"input", "{}"}})["executionArn"]
          .get<std::string>();
  std::string status = "RUNNING";
  REQUIRE(wait_until(
      [&] {
        status = client.call("DescribeExecution", {{"executionArn", execution}})["status"]
                     .get<std::string>();
        return status != "RUNNING";
      },
      seconds(10)));
  CHECK(status == "FAILED");
  const auto history = client.call("GetExecutionHistory", {{"executionArn", execution}});
  std::string cause;
  std::string error;
  for (const auto& event : history["events"]) {
    if (event.contains("lambdaFunctionFailedEventDetails")) {
      error = event["lambdaFunctionFailedEventDetails"].value("error", "");
      cause = event["lambdaFunctionFailedEventDetails"].value("cause", "");
    }
  }
  INFO(history.dump(2));
  CHECK(error == "Lambda.Unknown");
  CHECK(cause.find("Runtime.ExitError") != std::string::npos);
  CHECK(cause.find("Runtime exited with error: exit status 3") != std::string::npos);
  // One environment for the one invocation, not a relaunch loop.
  CHECK(pool->workers().size() == 1);
}

TEST_CASE("a function whose environments exit before their first invocation is crash-looping",
          "[crash_loop][lambda]") {
  // The engine launches an environment per invocation it cannot place: a
  // runtime that cannot start was launched again and again (108 times in
  // 80 s) while every invocation failed; the run now stops on it, as on an
  // activity pool's.
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-crashy-fn"));
  const auto pool = fleet->add_function_pool(sleeper_pool("crashy-fn", {"--exit-after", "0", "3"}));
  for (int launch = 0; launch < CrashLoopGuard::kCrashLoopDeaths; ++launch) {
    const auto environment = pool->launch_environment("127.0.0.1:9");
    REQUIRE(wait_until([&] { return environment->state() == WorkerState::kDead; }));
  }
  REQUIRE(wait_until([&] { return pool->failure().has_value(); }));
  INFO(*pool->failure());
  CHECK(pool->failure()->starts_with("pool 'crashy-fn' is crash-looping: 5 workers in a row"));
  // Environments are never replaced by the pool itself: the engine asks.
  CHECK(pool->workers().size() == 5);
}

TEST_CASE("a function whose environments served before dying is no crash loop",
          "[crash_loop][lambda]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-served-fn"));
  // Exits 300 ms after it starts: early, but after it asked for work.
  const auto pool =
      fleet->add_function_pool(sleeper_pool("served-fn", {"--exit-after", "300", "3"}));
  for (int launch = 0; launch < CrashLoopGuard::kCrashLoopDeaths + 1; ++launch) {
    const auto environment = pool->launch_environment("127.0.0.1:9");
    pool->worker_served(environment->id());  // its first /next, as the engine reports it
    REQUIRE(wait_until([&] { return environment->state() == WorkerState::kDead; }));
  }
  CHECK_FALSE(pool->failure().has_value());
}

}  // namespace
}  // namespace loveless::stacks::test
