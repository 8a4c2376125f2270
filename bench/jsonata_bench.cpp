// JSONata evaluator benchmark (core/jsonata): the cost of one evaluation in
// microseconds, for an expression compiled once and cached by its heap and
// for a fresh one (compiled every time), on a small and a ~100 KB input, with
// 1 and 2 threads evaluating at once. Prints figures; asserts nothing.
//
//   loveless-jsonata-bench [--iterations N]
//
// Output: one JSON object per line, so scripts can compute ratios.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/jsonata/evaluator.hpp"

#include "bench_options.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

json small_input() {
  return json::parse(R"({"order": {"id": "o-1", "items": [{"sku": "x", "qty": 2, "price": 1.25},
                                                         {"sku": "y", "qty": 1, "price": 10}]}})");
}

// About 100 KB of JSON: 1,000 items of ~100 bytes.
json large_input() {
  json items = json::array();
  for (int i = 0; i < 1000; ++i) {
    items.push_back({{"sku", "sku-" + std::to_string(i)},
                     {"qty", i % 7},
                     {"price", 0.5 + i},
                     {"tags", {"a", "b"}},
                     {"note", "an item of the large benchmark input"}});
  }
  return {{"order", {{"id", "o-2"}, {"items", items}}}};
}

// The expression of iteration `i`: the same text every time (cached), or a
// different text each time (compiled each time).
std::string expression(bool fresh, int i) {
  std::string text = "$sum($states.input.order.items.(qty * price))";
  if (fresh) text += " + " + std::to_string(i) + " * 0";
  return text;
}

// Microseconds per evaluation, `threads` threads evaluating `iterations` each.
double microseconds_per_evaluation(const json& input, bool fresh, int threads, int iterations) {
  const json bindings = {{"states", {{"input", input}}}};
  // Warm the heaps (loading jsonata, ~25 ms each) out of the measurement.
  std::vector<std::thread> warm;
  for (int t = 0; t < threads; ++t) {
    warm.emplace_back([&] { loveless::jsonata::evaluate("1", nullptr, json::object()); });
  }
  for (auto& thread : warm) thread.join();
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < iterations; ++i) {
        loveless::jsonata::evaluate(expression(fresh, t * iterations + i), nullptr, bindings);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const double elapsed = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  return elapsed / (static_cast<double>(threads) * iterations);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = loveless::bench::int_option(argc, argv, "--iterations", 200);
  const json small = small_input();
  const json large = large_input();
  for (const auto& [input_name, input] : {std::pair{"small", &small}, std::pair{"100KB", &large}}) {
    for (const bool fresh : {false, true}) {
      for (const int threads : {1, 2}) {
        const int count = input == &large ? std::max(5, iterations / 40) : iterations;
        const double micros = microseconds_per_evaluation(*input, fresh, threads, count);
        const json line = {{"bench", "jsonata"},
                           {"input", input_name},
                           {"input_bytes", input->dump().size()},
                           {"expression", fresh ? "fresh" : "cached"},
                           {"threads", threads},
                           {"evaluations", count * threads},
                           {"us_per_evaluation", micros},
                           {"evaluations_per_second", 1e6 / micros}};
        std::printf("%s\n", line.dump().c_str());
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
