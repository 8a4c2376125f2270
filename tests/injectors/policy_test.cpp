#include "loveless/injectors/policy.hpp"

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "loveless/injectors/injector.hpp"

using namespace std::chrono_literals;
using loveless::injectors::Candidate;
using loveless::injectors::InjectorPolicy;
using loveless::injectors::TriggerEvent;

namespace {

std::vector<Candidate> workers(int count, const std::string& pool = "count-words") {
  std::vector<Candidate> all;
  for (int i = 1; i <= count; ++i) all.push_back({pool + "-" + std::to_string(i), pool});
  return all;
}

TriggerEvent task_started(const std::string& state, const std::string& pool,
                          const std::string& worker) {
  TriggerEvent event;
  event.kind = TriggerEvent::Kind::kTaskStarted;
  event.at = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  event.execution_arn = "arn:exec";
  event.state_name = state;
  event.pool = pool;
  event.worker = worker;
  return event;
}

TriggerEvent tick() {
  TriggerEvent event;
  event.kind = TriggerEvent::Kind::kTick;
  event.at = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  return event;
}

std::vector<std::string> picked(InjectorPolicy& policy, int firings, std::vector<Candidate> pool) {
  std::vector<std::string> chosen;
  for (int i = 0; i < firings; ++i) {
    for (const auto& order : policy.fire(tick(), pool)) chosen.push_back(order.worker);
  }
  return chosen;
}

}  // namespace

TEST_CASE("a task trigger hits the worker that started the task, after the delay", "[injectors]") {
  InjectorPolicy policy(
      loveless::injectors::kill().on_task_started("count-words").after(200ms).spec(), 1, 0);
  const auto event = task_started("CountWords", "count-words", "count-words-2");
  REQUIRE(policy.matches(event));
  const auto orders = policy.fire(event, workers(3));
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].fault == loveless::injectors::FaultType::kKill);
  CHECK(orders[0].worker == "count-words-2");
  CHECK(orders[0].due == event.at + 200ms);
  CHECK(orders[0].cause.execution_arn == "arn:exec");
}

TEST_CASE("a task trigger matches a state name or a pool name and nothing else", "[injectors]") {
  InjectorPolicy by_state(loveless::injectors::kill().on_task_started("CountWords").spec(), 1, 0);
  InjectorPolicy by_pool(loveless::injectors::kill().on_task_started("merge").spec(), 1, 0);
  const auto count = task_started("CountWords", "count-words", "count-words-1");
  const auto merge = task_started("Merge", "merge", "merge-1");
  CHECK(by_state.matches(count));
  CHECK_FALSE(by_state.matches(merge));
  CHECK(by_pool.matches(merge));
  CHECK_FALSE(by_pool.matches(count));
  auto ended = count;
  ended.kind = TriggerEvent::Kind::kTaskEnded;
  CHECK_FALSE(by_state.matches(ended));
  CHECK_FALSE(by_state.matches(tick()));
}

TEST_CASE("at_most caps the firings", "[injectors]") {
  InjectorPolicy policy(loveless::injectors::kill().on_task_started().at_most(2).spec(), 1, 0);
  int fired = 0;
  for (int i = 0; i < 5; ++i) {
    fired +=
        static_cast<int>(policy.fire(task_started("S", "p", "p-" + std::to_string(i)), {}).size());
  }
  CHECK(fired == 2);
  CHECK(policy.firings() == 2);
}

TEST_CASE("a probability fires about that share of the time, reproducibly", "[injectors]") {
  const auto spec =
      loveless::injectors::wipe_scratch().random_worker().every(1s).with_probability(0.3).spec();
  InjectorPolicy first(spec, 42, 0);
  InjectorPolicy second(spec, 42, 0);
  const auto a = picked(first, 1000, workers(4));
  const auto b = picked(second, 1000, workers(4));
  CHECK(a == b);
  CHECK(a.size() > 220);
  CHECK(a.size() < 380);
}

TEST_CASE("the same seed gives the same fault plan and another seed another", "[injectors]") {
  const auto spec = loveless::injectors::pause(1s).random_workers(2).every(5s, 1s).spec();
  InjectorPolicy first(spec, 7, 0);
  InjectorPolicy again(spec, 7, 0);
  InjectorPolicy other(spec, 8, 0);
  std::vector<long long> ticks_first;
  std::vector<long long> ticks_again;
  std::vector<long long> ticks_other;
  for (int i = 0; i < 20; ++i) {
    ticks_first.push_back(first.next_tick()->count());
    ticks_again.push_back(again.next_tick()->count());
    ticks_other.push_back(other.next_tick()->count());
  }
  CHECK(ticks_first == ticks_again);
  CHECK(ticks_first != ticks_other);
  for (std::size_t i = 0; i < ticks_first.size(); ++i) {
    const auto nominal = 5000LL * static_cast<long long>(i + 1);
    CHECK(ticks_first[i] >= nominal - 1000);
    CHECK(ticks_first[i] <= nominal + 1000);
  }
  // Target draws too, whatever order the candidates arrive in.
  auto shuffled = workers(6);
  std::reverse(shuffled.begin(), shuffled.end());
  CHECK(picked(first, 30, workers(6)) == picked(again, 30, shuffled));
}

TEST_CASE("two injectors of one run draw from different streams", "[injectors]") {
  const auto spec = loveless::injectors::kill().random_worker().every(1s).spec();
  InjectorPolicy zero(spec, 7, 0);
  InjectorPolicy one(spec, 7, 1);
  CHECK(picked(zero, 40, workers(8)) != picked(one, 40, workers(8)));
}

TEST_CASE("targets: a pool, every worker, N random, a percentage", "[injectors]") {
  auto both = workers(4);
  for (const auto& merge : workers(2, "merge")) both.push_back(merge);

  InjectorPolicy pool(loveless::injectors::kill().pool("merge").every(1s).spec(), 1, 0);
  const auto in_pool = pool.fire(tick(), both);
  REQUIRE(in_pool.size() == 2);
  CHECK(
      std::all_of(in_pool.begin(), in_pool.end(), [](const auto& o) { return o.pool == "merge"; }));

  InjectorPolicy all(loveless::injectors::wipe_scratch().all_workers().every(1s).spec(), 1, 0);
  CHECK(all.fire(tick(), both).size() == 6);

  InjectorPolicy random(
      loveless::injectors::kill().random_workers(3, "count-words").every(1s).spec(), 1, 0);
  const auto drawn = random.fire(tick(), both);
  REQUIRE(drawn.size() == 3);
  std::set<std::string> distinct;
  for (const auto& order : drawn) {
    CHECK(order.pool == "count-words");
    distinct.insert(order.worker);
  }
  CHECK(distinct.size() == 3);

  InjectorPolicy percent(loveless::injectors::kill().percent_of_workers(50).every(1s).spec(), 1, 0);
  CHECK(percent.fire(tick(), both).size() == 3);
  InjectorPolicy rounded_up(loveless::injectors::kill().percent_of_workers(10).every(1s).spec(), 1,
                            0);
  CHECK(rounded_up.fire(tick(), both).size() == 1);
}

TEST_CASE("no candidate, no firing: the limit is not used up", "[injectors]") {
  InjectorPolicy policy(
      loveless::injectors::kill().random_worker("merge").every(1s).at_most(1).spec(), 1, 0);
  CHECK(policy.fire(tick(), workers(3)).empty());
  CHECK(policy.firings() == 0);
  CHECK(policy.fire(tick(), workers(1, "merge")).size() == 1);
}

TEST_CASE("at fires once, every keeps ticking", "[injectors]") {
  InjectorPolicy once(loveless::injectors::kill().random_worker().at(3s).spec(), 1, 0);
  CHECK(once.next_tick() == 3s);
  CHECK_FALSE(once.next_tick().has_value());
  InjectorPolicy every(loveless::injectors::kill().random_worker().every(2s).spec(), 1, 0);
  CHECK(every.next_tick() == 2s);
  CHECK(every.next_tick() == 4s);
  InjectorPolicy task(loveless::injectors::kill().on_task_started().spec(), 1, 0);
  CHECK_FALSE(task.timed());
  CHECK_FALSE(task.next_tick().has_value());
}

TEST_CASE("disposable mode wipes and replaces the worker after each task", "[injectors]") {
  const auto spec = loveless::injectors::disposable("count-words").spec();
  CHECK(spec.fault == loveless::injectors::FaultType::kDisposable);
  InjectorPolicy policy(spec, 1, 0);
  auto ended = task_started("CountWords", "count-words", "count-words-3");
  CHECK_FALSE(policy.matches(ended));
  ended.kind = TriggerEvent::Kind::kTaskEnded;
  const auto orders = policy.fire(ended, workers(3));
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].worker == "count-words-3");
}

TEST_CASE("an injector describes itself in words", "[injectors]") {
  CHECK(loveless::injectors::describe(loveless::injectors::kill()
                                          .on_task_started("count-words")
                                          .after(200ms)
                                          .at_most(10)
                                          .spec()) ==
        "kill the task's worker when a task starts in count-words, after 200 ms, at most 10 times");
  CHECK(loveless::injectors::describe(
            loveless::injectors::pause(3s).random_worker("count-words").every(5s, 1s).spec()) ==
        "pause for 3 s a random worker of count-words every 5 s (jitter 1 s)");
}

TEST_CASE("a seed names one fault plan on every platform", "[injectors]") {
  // Pinned: the plan of seed 2026 (every 5 s with 1 s of jitter, two of six
  // workers, probability 0.5). The draws are ours over std::mt19937_64, both
  // specified bit for bit, so any standard library must give exactly this; a
  // change here changes what every recorded --seed reproduces.
  const auto spec =
      loveless::injectors::pause(1s).random_workers(2).every(5s, 1s).with_probability(0.5).spec();
  InjectorPolicy policy(spec, 2026, 0);
  std::vector<long long> ticks;
  for (int i = 0; i < 6; ++i) ticks.push_back(policy.next_tick()->count());
  std::vector<std::string> plan;
  for (int i = 0; i < 6; ++i) {
    std::string firing;
    for (const auto& order : policy.fire(tick(), workers(6))) firing += order.worker + " ";
    plan.push_back(firing.empty() ? "-" : firing);
  }
  INFO("ticks and plan of seed 2026 changed");
  CHECK(ticks == std::vector<long long>{5692, 10172, 14851, 20144, 24163, 30782});
  CHECK(plan ==
        std::vector<std::string>{"-", "count-words-5 count-words-2 ",
                                 "count-words-3 count-words-4 ", "count-words-5 count-words-1 ",
                                 "count-words-1 count-words-5 ", "count-words-2 count-words-6 "});
}

TEST_CASE("seeded draws are uniform within their bounds", "[injectors]") {
  loveless::injectors::SeededEngine engine(99);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 6000; ++i) {
    const auto value = loveless::injectors::draw_below(engine, 6);
    REQUIRE(value < 6);
    ++counts[value];
  }
  for (const auto count : counts) {
    CHECK(count > 850);
    CHECK(count < 1150);
  }
  for (int i = 0; i < 1000; ++i) {
    const auto value = loveless::injectors::draw_between(engine, -400, 400);
    REQUIRE(value >= -400);
    REQUIRE(value <= 400);
    const auto unit = loveless::injectors::draw_unit(engine);
    REQUIRE(unit >= 0.0);
    REQUIRE(unit < 1.0);
  }
  CHECK(loveless::injectors::draw_below(engine, 0) == 0);
  CHECK(loveless::injectors::draw_between(engine, 5, 5) == 5);
}
