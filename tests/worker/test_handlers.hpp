#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "loveless/worker/worker.hpp"

namespace loveless::worker::testing {

/// The handler every role test runs unchanged: `{"n": 7}` -> `{"doubled": 14,
/// "scratch_exists": true}`; `{"refuse": true}` fails with TaskFailure
/// `Demo.Refused`; `{"crash": "text"}` throws std::runtime_error("text");
/// `{"long_error": true}` fails with a 300-character error and a
/// 40,000-character cause (beyond SendTaskFailure's limits).
inline nlohmann::json double_handler(const nlohmann::json& input, TaskContext& context) {
  if (input.value("refuse", false)) {
    throw TaskFailure("Demo.Refused", "refusing n=" + std::to_string(input.value("n", 0)));
  }
  if (input.contains("crash")) throw std::runtime_error(input["crash"].get<std::string>());
  if (input.value("long_error", false)) {
    throw TaskFailure(std::string(300, 'E'), std::string(40'000, 'c'));
  }
  return {{"doubled", input.at("n").get<int>() * 2},
          {"scratch_exists", std::filesystem::is_directory(context.scratch_dir())}};
}

/// Sleeps `{"ms": N}` milliseconds (ignoring SIGTERM unless `"honour_stop":
/// true`) and reports whether the worker was stopping by then.
inline nlohmann::json sleep_handler(const nlohmann::json& input, TaskContext& context) {
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(input.value("ms", 0));
  const bool honour_stop = input.value("honour_stop", false);
  while (std::chrono::steady_clock::now() < until) {
    if (honour_stop && context.stopping()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {{"slept", true}, {"stopping", context.stopping()}};
}

inline std::map<std::string, Handler> test_handlers() {
  return {{"double", double_handler}, {"sleep", sleep_handler}};
}

}  // namespace loveless::worker::testing
