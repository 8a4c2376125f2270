// Single-use workers (StepFunctionsService::set_single_use_workers), the
// runner's cold phase: every worker takes at most one task.
#include <chrono>
#include <future>
#include <thread>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"
#include "lambda_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;

namespace {

void finish(ServiceFixture& f, const nlohmann::json& task) {
  f.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", R"({"ok": true})"}});
}

}  // namespace

TEST_CASE("single-use workers: an activity poller that took a task gets no other",
          "[engine][single-use]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("sm", task_definition(activity));
  f.service.set_single_use_workers(true);
  const auto first = f.start(sm, "r1");
  const auto second = f.start(sm, "r2");

  const auto task = f.poll(activity, "worker-a");
  REQUIRE(task);
  finish(f, *task);
  // worker-a has had its task: its poll waits out the timeout, though one is queued.
  const auto begin = std::chrono::steady_clock::now();
  CHECK_FALSE(f.poll(activity, "worker-a"));
  CHECK(std::chrono::steady_clock::now() - begin >= 150ms);
  const auto other = f.poll(activity, "worker-b");
  REQUIRE(other);
  finish(f, *other);
  CHECK(f.wait_for_status(first, "SUCCEEDED"));
  CHECK(f.wait_for_status(second, "SUCCEEDED"));

  // Off again, worker-a takes tasks as before.
  f.service.set_single_use_workers(false);
  const auto third = f.start(sm, "r3");
  const auto again = f.poll(activity, "worker-a");
  REQUIRE(again);
  finish(f, *again);
  CHECK(f.wait_for_status(third, "SUCCEEDED"));
}

TEST_CASE("single-use workers: a worker polling from two threads at once gets one task",
          "[engine][single-use]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("sm", task_definition(activity));
  f.service.set_single_use_workers(true);
  const auto first = f.start(sm, "r1");
  const auto second = f.start(sm, "r2");
  auto one = std::async(std::launch::async, [&] { return f.poll(activity, "threads"); });
  auto two = std::async(std::launch::async, [&] { return f.poll(activity, "threads"); });
  const auto a = one.get();
  const auto b = two.get();
  REQUIRE(a.has_value() != b.has_value());
  finish(f, a ? *a : *b);
  // The task the second poll gave back keeps its place for another worker.
  const auto other = f.poll(activity, "worker-b");
  REQUIRE(other);
  finish(f, *other);
  CHECK(f.wait_for_status(first, "SUCCEEDED"));
  CHECK(f.wait_for_status(second, "SUCCEEDED"));
}

TEST_CASE("single-use workers: turning them on answers the polls already waiting",
          "[engine][single-use]") {
  ServiceFixture f(fast_options(10s));
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("sm", task_definition(activity));
  // A poll made before: it may be a dead worker's, so it must not take the next task.
  auto waiting = std::async(std::launch::async, [&] { return f.poll(activity, "gone"); });
  std::this_thread::sleep_for(200ms);
  f.service.set_single_use_workers(true);
  REQUIRE(waiting.wait_for(2s) == std::future_status::ready);
  CHECK_FALSE(waiting.get());

  const auto run = f.start(sm, "r");
  const auto task = f.poll(activity, "fresh");
  REQUIRE(task);
  finish(f, *task);
  CHECK(f.wait_for_status(run, "SUCCEEDED"));
}

TEST_CASE("single-use workers: a Lambda environment serves one invocation and is reset",
          "[engine][single-use][lambda]") {
  InThreadFunction function("echo", echo);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine(
      "sm", task_definition("arn:aws:lambda:us-east-1:123456789012:function:echo"));

  // Warm first: the environment that served r0 stays idle, and turning
  // single-use on retires it.
  REQUIRE(f.wait_for_status(f.start(sm, "r0"), "SUCCEEDED"));
  f.service.set_single_use_workers(true);
  CHECK(wait_until([&] { return function.resets() == std::vector<std::string>{"echo-1"}; }));

  for (const char* name : {"r1", "r2"}) {
    REQUIRE(f.wait_for_status(f.start(sm, name), "SUCCEEDED"));
  }
  const auto seen = function.seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].environment == "echo-1");
  CHECK(seen[1].environment == "echo-2");
  CHECK(seen[2].environment == "echo-3");
  CHECK(wait_until([&] {
    return function.resets() == std::vector<std::string>{"echo-1", "echo-2", "echo-3"};
  }));
}

TEST_CASE(
    "single-use workers: a poll the resolver cannot place, sent under the name of a worker that "
    "had its task, gets none",
    "[engine][single-use]") {
  // A worker that polls as `hostname-pid` is placed by its connection; one
  // being stopped after its task may poll again when its process has no
  // socket left to find it by. It was handed a task its stop then lost.
  ServiceFixture f;
  f.service.set_worker_resolver([](const CallerAddress& caller) -> std::string {
    return caller.port == 1001 ? "fleet-1" : "";
  });
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("sm", task_definition(activity));
  f.service.set_single_use_workers(true);
  const auto first = f.start(sm, "r1");
  const auto second = f.start(sm, "r2");
  const auto poll = [&](int port, const std::string& name) -> std::optional<nlohmann::json> {
    auto task =
        f.service.invoke("GetActivityTask", {{"activityArn", activity}, {"workerName", name}},
                         CallerAddress{"127.0.0.1", port, 8080});
    if (!task.contains("taskToken")) return std::nullopt;
    return task;
  };
  const auto task = poll(1001, "vm-29933");
  REQUIRE(task);
  finish(f, *task);
  // The same worker again, now unplaceable: no task, though one is queued.
  CHECK_FALSE(poll(1002, "vm-29933"));
  // Another worker the resolver cannot place either, under a name never
  // placed: it is not held back.
  const auto other = poll(1003, "vm-40000");
  REQUIRE(other);
  finish(f, *other);
  CHECK(f.wait_for_status(first, "SUCCEEDED"));
  CHECK(f.wait_for_status(second, "SUCCEEDED"));
}
