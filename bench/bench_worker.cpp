// loveless-bench-worker: the scenario benchmark's worker, `work` (an activity
// task or a Lambda invocation): sleeps BENCH_TASK_MS (default 50) and echoes
// its input, so the benchmark measures the runner, not the work.
#include <chrono>
#include <cstdlib>
#include <thread>

#include "loveless/worker/worker.hpp"

int main(int argc, char** argv) {
  const char* delay = std::getenv("BENCH_TASK_MS");
  const auto millis = std::chrono::milliseconds(delay != nullptr ? std::atoi(delay) : 50);
  const std::map<std::string, loveless::worker::Handler> handlers = {
      {"work", [millis](const nlohmann::json& input, loveless::worker::TaskContext&) {
         std::this_thread::sleep_for(millis);
         return input;
       }}};
  return loveless::worker::run_worker_main(handlers, argc, argv);
}
