// The evaluator's bounds: no expression may hang, exhaust memory or crash the
// process; each ends in an EvaluationError and the evaluator keeps working.

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/jsonata/evaluator.hpp"

#include "evaluation_helpers.hpp"
#include "heap.hpp"

using loveless::jsonata::EvaluationError;
using loveless::jsonata::Limits;
using loveless::testing::code_of;
using nlohmann::json;

namespace {

// Tighter bounds for one test, the defaults restored after it.
class ScopedLimits {
 public:
  explicit ScopedLimits(const Limits& limits) : saved_(loveless::jsonata::limits()) {
    loveless::jsonata::set_limits(limits);
  }
  ~ScopedLimits() { loveless::jsonata::set_limits(saved_); }
  ScopedLimits(const ScopedLimits&) = delete;
  ScopedLimits& operator=(const ScopedLimits&) = delete;

 private:
  Limits saved_;
};

void still_evaluates() {
  CHECK(loveless::jsonata::evaluate("1 + 1", nullptr, json::object()) == json(2));
}

}  // namespace

TEST_CASE("the default bounds", "[jsonata][bounds]") {
  const Limits limits = loveless::jsonata::limits();
  CHECK(limits.time == std::chrono::seconds(10));
  CHECK(limits.memory_bytes == std::size_t{256} << 20U);
  CHECK(limits.depth == 500);
  CHECK_THROWS_AS(loveless::jsonata::set_limits(Limits{std::chrono::milliseconds(0)}),
                  std::invalid_argument);
}

TEST_CASE("infinite recursion ends at the depth bound", "[jsonata][bounds]") {
  CHECK(code_of("($f := function($n){ $f($n + 1) + 1 }; $f(0))") == "L0001");
  still_evaluates();
}

TEST_CASE("a tail-recursive loop without end ends at the time bound", "[jsonata][bounds]") {
  ScopedLimits limits({std::chrono::milliseconds(300)});
  const auto start = std::chrono::steady_clock::now();
  CHECK(code_of("($f := function($n){ $f($n + 1) }; $f(0))") == "L0001");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  still_evaluates();
}

TEST_CASE("a long loop over a large range ends at the time bound", "[jsonata][bounds]") {
  ScopedLimits limits({std::chrono::milliseconds(300)});
  const auto start = std::chrono::steady_clock::now();
  CHECK(code_of("$sum($map([1..10000000], function($v){ $v * 2 }))") == "L0001");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  still_evaluates();
}

TEST_CASE("a regular expression that backtracks without end ends at the time bound",
          "[jsonata][bounds]") {
  ScopedLimits limits({std::chrono::milliseconds(300)});
  const auto start = std::chrono::steady_clock::now();
  CHECK(code_of("$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', "
                "/^(a+)+$/)") == "L0001");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  still_evaluates();
}

TEST_CASE("a value beyond the memory bound ends in L0002", "[jsonata][bounds]") {
  ScopedLimits limits({std::chrono::seconds(10), std::size_t{48} << 20U});
  CHECK(code_of("$count([1..10000000])") == "L0002");
  still_evaluates();
  CHECK(
      code_of(
          "($s := function($x, $n){ $n = 0 ? $x : $s($x & $x, $n - 1) }; $length($s('ab', 30)))") ==
      "L0002");
  still_evaluates();
}

TEST_CASE("an engine failure fails the evaluation and not the process", "[jsonata][bounds]") {
  loveless::jsonata::detail::Heap heap(loveless::jsonata::limits());
  try {
    heap.raise_fatal_error_for_test();
    FAIL("no error");
  } catch (const EvaluationError& error) {
    CHECK(error.code == "L0003");
    CHECK(std::string(error.what()).find("raised by a test") != std::string::npos);
  }
  CHECK_FALSE(heap.usable());
  still_evaluates();
}

TEST_CASE("three expressions running to their time bound leave a thread for a fourth",
          "[jsonata][bounds]") {
  // With one evaluator thread per core (2 here), two looping executions held
  // every thread and each JSONata call of the API waited for the bound.
  // 4 s: the fourth thread first makes its context (loading jsonata), which
  // under the sanitizers, beside three busy threads on two cores, takes a
  // while; the order is what is checked, not a time.
  ScopedLimits limits({std::chrono::milliseconds(4000)});
  using Clock = std::chrono::steady_clock;
  std::vector<std::future<Clock::time_point>> loops;
  for (int i = 0; i < 3; ++i) {
    loops.push_back(std::async(std::launch::async, [] {
      (void)code_of("($f := function($n){ $f($n + 1) }; $f(0))");
      return Clock::now();
    }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(loveless::jsonata::evaluate("1 + 1", nullptr, json::object()) == json(2));
  const auto answered = Clock::now();
  // Answered while every loop still ran: it did not wait for a thread.
  for (auto& loop : loops) CHECK(answered < loop.get());
}
