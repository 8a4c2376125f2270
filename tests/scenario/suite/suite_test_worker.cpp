// suite-test-worker echo: the activity worker of the suite fixture scenarios
// (suite_fixture_scenarios.cpp). It sleeps `{"sleep_ms": N}` milliseconds,
// ignoring SIGTERM, so only the fleet's kill ends a long task, then returns
// its input; `{"fail": true}` fails the task (SuiteTest.Failed) instead.
#include <chrono>
#include <thread>

#include "loveless/worker/worker.hpp"

namespace {

nlohmann::json echo(const nlohmann::json& input, loveless::worker::TaskContext& /*context*/) {
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(input.value("sleep_ms", 0));
  while (std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (input.value("fail", false)) {
    throw loveless::worker::TaskFailure("SuiteTest.Failed", "the input asked for a failure");
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  return loveless::worker::run_worker_main({{"echo", echo}}, argc, argv);
}
