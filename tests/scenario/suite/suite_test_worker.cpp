// suite-test-worker echo: the activity worker of the suite fixture scenarios
// (suite_fixture_scenarios.cpp). It sleeps `{"sleep_ms": N}` milliseconds,
// ignoring SIGTERM, so only the fleet's kill ends a long task, then returns
// its input; `{"fail": true}` fails the task (SuiteTest.Failed) instead.
// With SUITE_TEST_WORKER_FORK=1 it first forks a child that sleeps forever
// in its process group (its pid in $TMPDIR/grandchild.pid): what a worker
// forks does not die with the runner, which a later run's sweep must end.
// With SUITE_TEST_WORKER_CRASH=1 it exits 3 at once, saying so on stderr: a
// worker that cannot start (the pool's crash loop).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "loveless/worker/worker.hpp"

#include <unistd.h>

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
  if (const char* crash = std::getenv("SUITE_TEST_WORKER_CRASH");
      crash != nullptr && std::string(crash) == "1") {
    std::fprintf(stderr, "suite-test-worker: cannot start: SUITE_TEST_WORKER_CRASH is set\n");
    return 3;
  }
  if (const char* fork_child = std::getenv("SUITE_TEST_WORKER_FORK");
      fork_child != nullptr && std::string(fork_child) == "1") {
    const pid_t child = ::fork();
    if (child == 0) {
      for (;;) ::pause();
    }
    const char* tmpdir = std::getenv("TMPDIR");
    const std::string dir = tmpdir != nullptr ? tmpdir : "/tmp";
    std::ofstream(dir + "/grandchild.pid.partial") << child << '\n';
    std::rename((dir + "/grandchild.pid.partial").c_str(), (dir + "/grandchild.pid").c_str());
  }
  return loveless::worker::run_worker_main({{"echo", echo}}, argc, argv);
}
