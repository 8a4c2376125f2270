// What the disposability verdict costs (issue 12's benchmark), printed as
// JSON lines:
//
//   loveless-reliance-bench [--executions 20] [--workers 3] [--rounds 3]
//
// The same scenario (a Pass, then an activity task and a Lambda invocation,
// both of loveless-bench-worker, under a kill on task start) runs without
// and with no_local_state_reliance(), which adds the cold phase, alternating,
// `rounds` times each. Each run is a child process, so its peak RSS
// (wait4's ru_maxrss: the engine, runner and nemesis, not the workers) and
// wall time are its own. The last line gives the medians and their ratios,
// measured side by side on this machine.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/local_scenario_stack.hpp"

#include "bench_options.hpp"
#include <loveless/loveless.hpp>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
namespace sc = loveless::scenario;

constexpr const char* kWorkflow = R"({"StartAt": "Prepare", "States": {
  "Prepare": {"Type": "Pass", "Next": "Work"},
  "Work": {"Type": "Task", "Resource": "${WorkArn}", "HeartbeatSeconds": 2, "TimeoutSeconds": 60,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 8}],
    "Next": "Finish"},
  "Finish": {"Type": "Task", "Resource": "${FinishArn}",
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 8}],
    "End": true}}})";

sc::ScenarioSpec spec(int executions, int workers, bool verdict) {
  sc::ScenarioSpec spec;
  spec.name = verdict ? "with no_local_state_reliance" : "without it";
  sc::Scenario s(spec);
  auto wf = s.workflow_text("bench", kWorkflow)
                .bind("WorkArn", sc::activity_arn("work"))
                .bind("FinishArn", sc::function_arn("finish"));
  s.activity_pool("work").command("loveless-bench-worker work").replicas(workers);
  s.function_pool("finish").command("loveless-bench-worker work").concurrency(workers);
  std::vector<nlohmann::json> inputs;
  for (int i = 0; i < 5; ++i) inputs.push_back({{"payload", i}});
  s.executions(wf).count(executions).concurrency(workers).inputs(inputs);
  s.inject(loveless::injectors::kill().on_task_started("work").with_probability(0.2));
  s.check(loveless::checks::all_executions_succeed());
  if (verdict) s.check(loveless::checks::no_local_state_reliance());
  s.deadline(10min);
  return spec;
}

struct Measure {
  double seconds = 0;
  double peak_rss_mib = 0;
  bool ok = false;
};

/// Runs one variant in a child process.
Measure run_child(int executions, int workers, bool verdict) {
  const auto begin = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  if (child < 0) return {};
  if (child == 0) {
    sc::RunOptions options;
    options.seed = 11;
    options.binary_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
    try {
      auto stack = sc::make_local_scenario_stack("process", "", "", options.seed);
      const auto result = sc::run_scenario(spec(executions, workers, verdict), *stack, options);
      for (const auto& v : result.verdicts) {
        std::cerr << "  " << (verdict ? "with" : "without") << ": "
                  << loveless::checks::to_string(v.outcome) << " " << v.check << ": " << v.summary
                  << "\n";
      }
      ::_exit(result.passed ? 0 : 1);
    } catch (const std::exception& e) {
      std::cerr << "loveless-reliance-bench: " << e.what() << "\n";
      ::_exit(2);
    }
  }
  int status = 0;
  rusage usage{};
  ::wait4(child, &status, 0, &usage);
  Measure measure;
  measure.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  measure.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  measure.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return measure;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int executions = loveless::bench::int_option(argc, argv, "--executions", 20);
  const int workers = loveless::bench::int_option(argc, argv, "--workers", 3);
  const int rounds = std::max(1, loveless::bench::int_option(argc, argv, "--rounds", 3));
  std::vector<double> seconds[2];
  std::vector<double> rss[2];
  for (int round = 0; round < rounds; ++round) {
    for (const bool verdict : {false, true}) {
      const auto m = run_child(executions, workers, verdict);
      seconds[verdict].push_back(m.seconds);
      rss[verdict].push_back(m.peak_rss_mib);
      std::cout << nlohmann::json{{"bench", "disposability verdict cost"},
                                  {"variant", verdict ? "with" : "without"},
                                  {"round", round + 1},
                                  {"executions_per_phase", executions},
                                  {"passed", m.ok},
                                  {"wall_seconds", m.seconds},
                                  {"runner_peak_rss_mib", m.peak_rss_mib}}
                       .dump()
                << std::endl;
    }
  }
  const double without_s = median(seconds[0]);
  const double with_s = median(seconds[1]);
  const double without_rss = median(rss[0]);
  const double with_rss = median(rss[1]);
  std::cout << nlohmann::json{{"bench", "disposability verdict cost (medians)"},
                              {"without_wall_seconds", without_s},
                              {"with_wall_seconds", with_s},
                              {"wall_ratio", without_s > 0 ? with_s / without_s : 0},
                              {"without_peak_rss_mib", without_rss},
                              {"with_peak_rss_mib", with_rss},
                              {"rss_ratio", without_rss > 0 ? with_rss / without_rss : 0}}
                   .dump()
            << std::endl;
  return 0;
}
