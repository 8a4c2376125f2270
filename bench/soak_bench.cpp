// Soak: one runner process runs a faulted scenario round after round for
// --minutes (default 10) on the process fleet: kill on task start, restart,
// pause, wipe_scratch and latency, the demo suite's faults. Prints, as JSON
// lines, this process's RSS, open descriptors and threads at the start and
// after every round, and a last line comparing the end with the first round.
// A leak in the engine, the fleet, the nemesis or the checks shows as figures
// that grow with the rounds instead of settling.
//
//   build/bin/loveless-soak-bench [--minutes 10] [--executions 40] [--workers 4]
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/local_scenario_stack.hpp"

#include "bench_options.hpp"
#include "process_figures.hpp"
#include <loveless/loveless.hpp>

namespace {

using loveless::bench::status_field;

using namespace std::chrono_literals;
namespace sc = loveless::scenario;

constexpr const char* kWorkflow = R"({"StartAt": "Prepare", "States": {
  "Prepare": {"Type": "Pass", "Next": "Work"},
  "Work": {"Type": "Task", "Resource": "${WorkArn}", "HeartbeatSeconds": 2, "TimeoutSeconds": 30,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "BackoffRate": 1.5,
               "MaxAttempts": 8}],
    "End": true}}})";

struct Sample {
  long rss_kib = 0;
  long descriptors = 0;
  long threads = 0;
};

Sample sample() {
  Sample s;
  s.rss_kib = status_field("VmRSS:");
  s.threads = status_field("Threads:");
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++s.descriptors;
  }
  return s;
}

nlohmann::json to_json(const Sample& s) {
  return {{"rss_mib", static_cast<double>(s.rss_kib) / 1024.0},
          {"open_descriptors", s.descriptors},
          {"threads", s.threads}};
}

sc::ScenarioSpec round_spec(int executions, int workers) {
  sc::ScenarioSpec spec;
  spec.name = "soak";
  sc::Scenario s(spec);
  auto wf = s.workflow_text("soak", kWorkflow).bind("WorkArn", sc::activity_arn("work"));
  s.activity_pool("work").command("loveless-bench-worker work").replicas(workers);
  s.executions(wf).count(executions).concurrency(8).input({{"payload", "x"}});
  s.inject(loveless::injectors::kill().on_task_started("work").with_probability(0.1));
  s.inject(loveless::injectors::restart().random_worker().every(5s));
  s.inject(loveless::injectors::pause(300ms).random_worker().every(2s));
  s.inject(loveless::injectors::wipe_scratch().all_workers().every(1s));
  s.inject(loveless::injectors::latency(50ms, 500ms).random_worker().every(1s));
  s.check(loveless::checks::all_executions_succeed());
  s.deadline(5min);
  return spec;
}

}  // namespace

int main(int argc, char** argv) {
  const auto minutes = loveless::bench::int_option(argc, argv, "--minutes", 10);
  const int executions = loveless::bench::int_option(argc, argv, "--executions", 40);
  const int workers = loveless::bench::int_option(argc, argv, "--workers", 4);
  sc::RunOptions options;
  options.seed = 13;
  options.binary_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  const auto start = sample();
  std::cout << nlohmann::json{{"bench", "soak"}, {"at", "start"}, {"sample", to_json(start)}}.dump()
            << std::endl;
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(minutes);
  int rounds = 0;
  std::size_t faults = 0;
  std::size_t failed_executions = 0;
  Sample first_round;
  try {
    while (std::chrono::steady_clock::now() < until) {
      auto stack = sc::make_local_scenario_stack("process", "", "", options.seed);
      const auto result = sc::run_scenario(round_spec(executions, workers), *stack, options);
      stack.reset();
      ++rounds;
      faults += result.history.faults.size();
      for (const auto& execution : result.history.executions) {
        failed_executions += execution.succeeded() ? 0 : 1;
      }
      const auto now = sample();
      if (rounds == 1) first_round = now;
      std::cout << nlohmann::json{{"bench", "soak"},
                                  {"at", "round " + std::to_string(rounds)},
                                  {"passed", result.passed},
                                  {"faults", result.history.faults.size()},
                                  {"sample", to_json(now)}}
                       .dump()
                << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "loveless-soak-bench: " << e.what() << "\n";
    return 1;
  }
  const auto end = sample();
  std::cout << nlohmann::json{{"bench", "soak"},
                              {"at", "end"},
                              {"minutes", minutes},
                              {"rounds", rounds},
                              {"faults", faults},
                              {"failed_executions", failed_executions},
                              {"start", to_json(start)},
                              {"after_first_round", to_json(first_round)},
                              {"end", to_json(end)},
                              {"rss_end_over_first_round",
                               first_round.rss_kib > 0
                                   ? static_cast<double>(end.rss_kib) /
                                         static_cast<double>(first_round.rss_kib)
                                   : 0.0}}
                   .dump()
            << std::endl;
  return 0;
}
