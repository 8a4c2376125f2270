// runner-test-worker: the worker of the runner tests (tests/scenario/runner),
// built on the worker SDK, so it heartbeats, and on SIGTERM fails a task that
// outlasts LOVELESS_STOP_GRACE_MS with `Worker.Terminated`, as real workers do.
// One handler, `echo`, serves as the activity worker and as the Lambda function
// (`runner-test-worker echo`); for each task it
//   - writes `<activity|function>-<n>-input-<id>` in its scratch directory
//     (TMPDIR, /tmp in a container), n counting this process's tasks, holding
//     its worker name: every task leaves a file of its own, so a test can tell
//     which files a wipe removed;
//   - sleeps `sleep_ms` (activity) or `function_sleep_ms` (function) of its
//     input, so faults land while tasks run;
//   - returns its input unchanged (so control and chaos outputs match).
// runner-test-worker-static is the same, linked statically, in the image
// loveless/test-runner-worker (FROM scratch) for the docker fleet.
#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "loveless/worker/worker.hpp"

namespace {

using loveless::worker::Role;
using loveless::worker::TaskContext;

nlohmann::json echo(const nlohmann::json& input, TaskContext& context) {
  const bool function = context.role() == Role::kLambda;
  static std::atomic<int> handled{0};
  const auto id = input.is_object() ? input.value("id", std::string("none")) : "none";
  const auto file = std::string(function ? "function-" : "activity-") + std::to_string(++handled) +
                    "-input-" + id;
  std::ofstream(context.scratch_dir() / file) << context.worker_name() << "\n";
  const auto sleep_ms =
      input.is_object() ? input.value(function ? "function_sleep_ms" : "sleep_ms", 0) : 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  return loveless::worker::run_worker_main({{"echo", echo}}, argc, argv);
}
