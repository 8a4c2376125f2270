// The runner under load (issue 4's benchmark), printed as JSON lines:
//
//   loveless-scenario-bench [--executions 200] [--workers 8] [--concurrent 1000]
//
// 1. A 200-execution scenario (both phases) with 8 process workers of
//    loveless-bench-worker under continuous faults (kill on task start, pause
//    and wipe every 300 ms): the runner's CPU seconds and peak RSS
//    (getrusage of this process: the engine, runner and nemesis, not the
//    workers), and trigger-to-fault latency p50/p99 (from the engine's notice
//    of the task start to the kill primitive returning).
// 2. 1,000 executions at once (concurrency 1000, a Pass-then-Task workflow):
//    how many succeeded, and any error.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>

#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/local_scenario_stack.hpp"

#include "bench_options.hpp"
#include <loveless/loveless.hpp>
#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
namespace sc = loveless::scenario;

constexpr const char* kWorkflow = R"({"StartAt": "Prepare", "States": {
  "Prepare": {"Type": "Pass", "Next": "Work"},
  "Work": {"Type": "Task", "Resource": "${WorkArn}", "HeartbeatSeconds": 2, "TimeoutSeconds": 60,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "BackoffRate": 1.5,
               "MaxAttempts": 8}],
    "End": true}}})";

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

long peak_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values.at(std::max<std::size_t>(rank, 1) - 1);
}

sc::ScenarioSpec spec(int executions, int workers, int concurrency, bool faults) {
  sc::ScenarioSpec spec;
  spec.name = faults ? "runner under continuous faults" : "1000 concurrent executions";
  sc::Scenario s(spec);
  auto wf = s.workflow_text("bench", kWorkflow).bind("WorkArn", sc::activity_arn("work"));
  s.activity_pool("work").command("loveless-bench-worker work").replicas(workers);
  s.executions(wf).count(executions).concurrency(concurrency).input({{"payload", "x"}});
  if (faults) {
    s.inject(loveless::injectors::kill().on_task_started("work").with_probability(0.1));
    s.inject(loveless::injectors::pause(500ms).random_worker().every(300ms));
    s.inject(loveless::injectors::wipe_scratch().all_workers().every(300ms));
  }
  s.check(loveless::checks::all_executions_succeed());
  s.deadline(10min);
  return spec;
}

}  // namespace

int main(int argc, char** argv) {
  const int executions = loveless::bench::int_option(argc, argv, "--executions", 200);
  const int workers = loveless::bench::int_option(argc, argv, "--workers", 8);
  const int concurrent = loveless::bench::int_option(argc, argv, "--concurrent", 1000);
  sc::RunOptions options;
  options.seed = 11;
  options.binary_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  try {
    {
      const auto before = cpu_seconds();
      auto stack = sc::make_local_scenario_stack("process", "", "", options.seed);
      const auto result =
          sc::run_scenario(spec(executions / 2, workers, 16, true), *stack, options);
      const auto cpu = cpu_seconds() - before;
      std::vector<double> latencies;
      for (const auto& fault : result.history.faults) {
        if (fault.kind == sc::FaultKind::kKill && fault.applied_ok) {
          latencies.push_back(
              std::chrono::duration<double, std::milli>(fault.applied - fault.triggered).count());
        }
      }
      std::size_t succeeded = 0;
      for (const auto& execution : result.history.executions) succeeded += execution.succeeded();
      std::cout << nlohmann::json{{"bench", "scenario under continuous faults"},
                                  {"executions", result.history.executions.size()},
                                  {"succeeded", succeeded},
                                  {"faults", result.history.faults.size()},
                                  {"runner_cpu_seconds", cpu},
                                  {"peak_rss_mib", static_cast<double>(peak_rss_kib()) / 1024.0},
                                  {"trigger_to_kill_p50_ms", percentile(latencies, 0.50)},
                                  {"trigger_to_kill_p99_ms", percentile(latencies, 0.99)},
                                  {"kills", latencies.size()}}
                       .dump()
                << std::endl;
    }
    {
      auto stack = sc::make_local_scenario_stack("process", "", "", options.seed);
      const auto begin = std::chrono::steady_clock::now();
      const auto result =
          sc::run_scenario(spec(concurrent, workers, concurrent, false), *stack, options);
      std::size_t succeeded = 0;
      std::string first_error;
      for (const auto& execution : result.history.executions) {
        succeeded += execution.succeeded();
        if (!execution.succeeded() && first_error.empty()) {
          first_error = execution.status + " " + execution.error + " " + execution.cause;
        }
      }
      std::cout << nlohmann::json{{"bench", "concurrent executions"},
                                  {"concurrency", concurrent},
                                  {"executions", result.history.executions.size()},
                                  {"succeeded", succeeded},
                                  {"first_error", first_error},
                                  {"seconds", std::chrono::duration<double>(
                                                  std::chrono::steady_clock::now() - begin)
                                                  .count()}}
                       .dump()
                << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "loveless-scenario-bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
