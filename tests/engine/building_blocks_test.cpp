// Unit tests of the engine's internal building blocks: ARNs, names, paging
// tokens, the timer thread and the activity queue.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "activity_queue.hpp"
#include "arn.hpp"
#include "engine_test_support.hpp"
#include "paging.hpp"
#include "timer_service.hpp"

using namespace loveless::engine;
using namespace std::chrono_literals;

TEST_CASE("ARNs are minted and parsed", "[engine][arn]") {
  const auto sm = state_machine_arn("eu-west-1", "111122223333", "orders");
  CHECK(sm == "arn:aws:states:eu-west-1:111122223333:stateMachine:orders");
  CHECK(execution_arn("us-east-1", "123456789012", "orders", "run-1") ==
        "arn:aws:states:us-east-1:123456789012:execution:orders:run-1");
  CHECK(activity_arn("us-east-1", "123456789012", "work") ==
        "arn:aws:states:us-east-1:123456789012:activity:work");

  const auto parsed = parse_arn("arn:aws:states:us-east-1:123456789012:execution:orders:run-1");
  REQUIRE(parsed);
  CHECK(parsed->type == ArnType::kExecution);
  CHECK(parsed->name == "orders");
  CHECK(parsed->execution_name == "run-1");

  for (const char* bad : {"", "arn", "arn:aws:states:us-east-1:123456789012:stateMachine",
                          "arn:aws:lambda:us-east-1:123456789012:function:f",
                          "arn:aws:states:us-east-1:123456789012:stateMachine:a:b:c",
                          "arn:aws:states:us-east-1:123456789012:stateMachine:a:01",
                          "arn:aws:states:us-east-1:123456789012:stateMachine:a:b@",
                          "arn:aws:states:us-east-1:123456789012:activity:",
                          "arn:aws:states:::lambda:invoke", "not an arn"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_arn(bad));
  }
  const auto version = parse_arn(sm + ":12");
  REQUIRE(version);
  CHECK(version->type == ArnType::kStateMachineVersion);
  CHECK(version->qualifier == "12");
  CHECK(version->state_machine_arn() == sm);
  const auto alias = parse_arn(sm + ":PROD");
  REQUIRE(alias);
  CHECK(alias->type == ArnType::kStateMachineAlias);
  CHECK(alias->qualifier == "PROD");

  const auto error = testing::service_error([&] { require_arn(sm, ArnType::kActivity); });
  CHECK(error.type() == "InvalidArn");
  CHECK(error.message() == "Invalid Arn: '" + sm + "'");
  // AWS's words for text that is no ARN at all (test_sfn_api recordings).
  const auto prefix =
      testing::service_error([&] { require_arn("not_a_valid_arn", ArnType::kStateMachine); });
  CHECK(prefix.message() == "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'");
}

TEST_CASE("names follow the AWS character rules", "[engine][arn]") {
  for (const char* good : {"a", "order-processing_v2", "Ünïcode-name", "dots.are.fine"}) {
    CAPTURE(good);
    CHECK(is_valid_name(good));
  }
  for (const char* bad : {"",          "has space",   "tab\there", "br<acket", "curly{",
                          "square]",   "wild*",       "question?", "quote\"",  "hash#",
                          "percent%",  "slash/",      "colon:",    "semi;",    "comma,",
                          "dollar$",   "amp&",        "pipe|",     "tilde~",   "caret^",
                          "back`tick", "back\\slash", "ctrl\x01",  "del\x7f",  "c1\xc2\x85"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_name(bad));
  }
  CHECK(is_valid_name(std::string(80, 'x')));
  CHECK_FALSE(is_valid_name(std::string(81, 'x')));
  const auto error = testing::service_error([] { require_name("bad name"); });
  CHECK(error.type() == "InvalidName");
  CHECK(error.message() == "Invalid Name: 'bad name'");
}

TEST_CASE("page tokens round-trip and reject foreign or garbled tokens", "[engine][paging]") {
  const auto token = encode_page_token("history", "arn:x", "42");
  CHECK(decode_page_token(token, "history", "arn:x") == "42");
  CHECK(testing::service_error([&] { decode_page_token(token, "history", "arn:y"); }).type() ==
        "InvalidToken");
  CHECK(testing::service_error([&] { decode_page_token(token, "executions", "arn:x"); }).type() ==
        "InvalidToken");
  for (const std::string& bad :
       {std::string(""), std::string("zz"), std::string("abc"), std::string(2000, 'a')}) {
    const auto error = testing::service_error([&] { decode_page_token(bad, "history", "arn:x"); });
    CHECK(error.type() == "InvalidToken");
    CHECK(error.message() == "Invalid Token: '" + bad + "'");
  }
}

TEST_CASE("timers fire in due order and cancelled timers do not fire", "[engine][timers]") {
  TimerService timers;
  std::mutex mutex;
  std::vector<int> fired;
  const auto now =
      std::chrono::time_point_cast<loveless::asl::Duration>(std::chrono::system_clock::now());
  const auto record = [&](int id) {
    return [&, id] {
      std::lock_guard lock(mutex);
      fired.push_back(id);
    };
  };
  timers.start(now + 150ms, record(3));
  timers.start(now + 50ms, record(1));
  const auto cancelled = timers.start(now + 100ms, record(99));
  timers.start(now + 100ms, record(2));
  timers.start(now - 1s, record(0));  // overdue: fires at once
  timers.cancel(cancelled);
  REQUIRE(testing::wait_until([&] {
    std::lock_guard lock(mutex);
    return fired.size() == 4;
  }));
  std::this_thread::sleep_for(50ms);
  std::lock_guard lock(mutex);
  CHECK(fired == std::vector<int>{0, 1, 2, 3});
  CHECK(timers.pending() == 0);
}

TEST_CASE("stopping the timer service drops pending timers", "[engine][timers]") {
  TimerService timers;
  std::atomic<bool> fired{false};
  timers.start(std::chrono::time_point_cast<loveless::asl::Duration>(
                   std::chrono::system_clock::now() + 100ms),
               [&] { fired = true; });
  timers.stop();
  std::this_thread::sleep_for(200ms);
  CHECK_FALSE(fired);
  timers.stop();  // idempotent
}

TEST_CASE("a queued task goes to the next poller and pushes hand off to the oldest poller",
          "[engine][queue]") {
  ActivityQueue queue;
  queue.push(QueuedTask{"t1", {}, 1, "{}"});
  auto first = queue.take(std::chrono::steady_clock::now());
  REQUIRE(first);
  CHECK(first->task_token == "t1");
  CHECK_FALSE(queue.take(std::chrono::steady_clock::now() + 20ms));

  std::optional<QueuedTask> older;
  std::optional<QueuedTask> newer;
  std::thread a([&] { older = queue.take(std::chrono::steady_clock::now() + 5s); });
  REQUIRE(testing::wait_until([&] { return queue.waiting_pollers() == 1; }));
  std::thread b([&] { newer = queue.take(std::chrono::steady_clock::now() + 5s); });
  REQUIRE(testing::wait_until([&] { return queue.waiting_pollers() == 2; }));
  const auto pushed = std::chrono::steady_clock::now();
  queue.push(QueuedTask{"t2", {}, 2, "{}"});
  a.join();
  CHECK(std::chrono::steady_clock::now() - pushed < 1s);
  REQUIRE(older);
  CHECK(older->task_token == "t2");
  queue.push(QueuedTask{"t3", {}, 3, "{}"});
  b.join();
  REQUIRE(newer);
  CHECK(newer->task_token == "t3");
  CHECK(queue.waiting_pollers() == 0);
}

TEST_CASE("removed tasks are not handed out and shutdown wakes pollers", "[engine][queue]") {
  ActivityQueue queue;
  queue.push(QueuedTask{"gone", {}, 1, "{}"});
  CHECK(queue.remove("gone"));
  CHECK_FALSE(queue.remove("gone"));
  CHECK(queue.queued_tasks() == 0);

  std::optional<QueuedTask> got;
  const auto started = std::chrono::steady_clock::now();
  std::thread poller([&] { got = queue.take(std::chrono::steady_clock::now() + 30s); });
  REQUIRE(testing::wait_until([&] { return queue.waiting_pollers() == 1; }));
  queue.shutdown();
  poller.join();
  CHECK_FALSE(got);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK_FALSE(queue.take(std::chrono::steady_clock::now() + 10s));
}

TEST_CASE("every pushed task reaches exactly one of many pollers", "[engine][queue]") {
  ActivityQueue queue;
  constexpr int kTasks = 200;
  std::mutex mutex;
  std::multiset<std::string> received;
  std::atomic<int> count{0};
  std::vector<std::thread> pollers;
  for (int i = 0; i < 8; ++i) {
    pollers.emplace_back([&] {
      while (count.load() < kTasks) {
        auto task = queue.take(std::chrono::steady_clock::now() + 50ms);
        if (!task) continue;
        std::lock_guard lock(mutex);
        received.insert(task->task_token);
        ++count;
      }
    });
  }
  for (int i = 0; i < kTasks; ++i) queue.push(QueuedTask{"t" + std::to_string(i), {}, 0, "{}"});
  for (auto& poller : pollers) poller.join();
  CHECK(received.size() == kTasks);
  CHECK(std::set<std::string>(received.begin(), received.end()).size() == kTasks);
}
