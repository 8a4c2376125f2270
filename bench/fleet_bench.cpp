// Fleet benchmarks: the latency from a primitive call to its effect being
// observable on the platform, which bounds how precisely an injector can time
// a fault. Prints figures; asserts nothing about speed.
//
//   loveless-fleet-bench [--fleet process] [--iterations N] [--run-dir DIR]
//
//   kill:  Worker::kill() returns -> the worker's process is gone or a zombie
//   pause: Worker::pause() returns -> /proc/<pid>/stat says stopped ('T')
// (the clock starts before the call, so the call's own cost is included).
//
// Output: one JSON object per line, like loveless-bench.
//
// Another fleet (docker) is measured the same way by adding a `Platform`:
// how to make its fleet, which worker command it runs, and an `EffectProbe`
// that observes death and pause on that platform (container inspect).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/stacks/process_fleet.hpp"

#include <unistd.h>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using loveless::stacks::Worker;

/// Observes a primitive's effect on the platform itself, not through the fleet.
class EffectProbe {
 public:
  virtual ~EffectProbe() = default;
  [[nodiscard]] virtual bool gone(const Worker& worker) const = 0;
  [[nodiscard]] virtual bool paused(const Worker& worker) const = 0;
  /// Started and idle: a fault hits a worker doing its job, not one still
  /// loading its binary, whose start-up would be timed along with the fault.
  [[nodiscard]] virtual bool settled(const Worker& worker) const = 0;
};

/// Reads /proc/<pgid>/stat of a process worker (`pgid:<n>` handle).
class ProcProbe final : public EffectProbe {
 public:
  [[nodiscard]] bool gone(const Worker& worker) const override {
    const char state = state_of(worker);
    return state == 0 || state == 'Z' || state == 'X';
  }
  [[nodiscard]] bool paused(const Worker& worker) const override { return state_of(worker) == 'T'; }
  [[nodiscard]] bool settled(const Worker& worker) const override {
    return state_of(worker) == 'S';
  }

 private:
  static char state_of(const Worker& worker) {
    const auto handle = worker.platform_handle();
    std::ifstream in("/proc/" + handle.substr(handle.find(':') + 1) + "/stat");
    std::string line;
    if (!std::getline(in, line)) {
      return 0;
    }
    return line.at(line.rfind(')') + 2);
  }
};

struct Platform {
  std::string name;
  std::function<std::unique_ptr<loveless::stacks::Fleet>(loveless::stacks::FleetOptions)>
      make_fleet;
  std::vector<std::string> worker_command;
  std::unique_ptr<EffectProbe> probe;
};

Platform platform_named(const std::string& name) {
  if (name == "process") {
    return {name,
            loveless::stacks::make_process_fleet,
            {"sleep", "3600"},
            std::make_unique<ProcProbe>()};
  }
  throw std::invalid_argument("no fleet bench for platform '" + name +
                              "' yet; add a Platform with its EffectProbe");
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values.at(std::min(index, values.size() - 1));
}

void wait_for(const std::function<bool()>& done, const char* what) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (Clock::now() > deadline) {
      throw std::runtime_error(std::string("timed out waiting for ") + what);
    }
    std::this_thread::yield();
  }
}

struct Latencies {
  std::vector<double> effect_ms;  ///< call -> effect observed
  std::vector<double> call_ms;    ///< call -> call returned (the fleet's own share)
};

// Busy-polls: the figure is the effect's latency, not a sleep granularity.
void measure(Latencies& into, const std::function<void()>& call,
             const std::function<bool()>& effect) {
  const auto start = Clock::now();
  call();
  const auto returned = Clock::now();
  wait_for(effect, "the primitive's effect");
  const auto observed = Clock::now();
  into.call_ms.push_back(std::chrono::duration<double, std::milli>(returned - start).count());
  into.effect_ms.push_back(std::chrono::duration<double, std::milli>(observed - start).count());
}

void report(const std::string& benchmark, const Platform& platform, const Latencies& latencies) {
  std::cout << json{{"benchmark", benchmark},
                    {"fleet", platform.name},
                    {"iterations", latencies.effect_ms.size()},
                    {"p50_ms", percentile(latencies.effect_ms, 0.50)},
                    {"p99_ms", percentile(latencies.effect_ms, 0.99)},
                    {"max_ms", percentile(latencies.effect_ms, 1.0)},
                    {"call_p50_ms", percentile(latencies.call_ms, 0.50)},
                    {"call_p99_ms", percentile(latencies.call_ms, 0.99)}}
                   .dump()
            << std::endl;
}

void run(const Platform& platform, int iterations, const std::filesystem::path& run_dir) {
  loveless::stacks::FleetOptions options;
  options.run_id = "fleet-bench";
  options.run_dir = run_dir;
  options.sfn_endpoint = "http://127.0.0.1:9";
  const auto fleet = platform.make_fleet(options);
  loveless::stacks::PoolSpec spec;
  spec.name = "bench";
  spec.command = platform.worker_command;
  const auto pool = fleet->add_activity_pool(spec);
  const auto& probe = *platform.probe;

  Latencies kill_ms;
  for (int i = 0; i < iterations; ++i) {
    // The pool replaces each victim; the next one must be up before timing.
    std::shared_ptr<Worker> victim;
    wait_for(
        [&] {
          const auto live = pool->live_workers();
          victim = live.empty() ? nullptr : live.front();
          return victim && probe.settled(*victim);
        },
        "a replacement worker");
    measure(
        kill_ms, [&] { victim->kill(); }, [&] { return probe.gone(*victim); });
  }
  report("fleet_kill", platform, kill_ms);

  Latencies pause_ms;
  std::shared_ptr<Worker> sleeper;
  wait_for(
      [&] {
        const auto live = pool->live_workers();
        sleeper = live.empty() ? nullptr : live.front();
        return sleeper && probe.settled(*sleeper);
      },
      "a live worker");
  for (int i = 0; i < iterations; ++i) {
    measure(
        pause_ms, [&] { sleeper->pause(); }, [&] { return probe.paused(*sleeper); });
    sleeper->resume();
    wait_for([&] { return probe.settled(*sleeper); }, "the worker to resume");
  }
  report("fleet_pause", platform, pause_ms);
  fleet->shutdown();
}

}  // namespace

int main(int argc, char** argv) {
  std::string fleet = "process";
  int iterations = 200;
  std::filesystem::path run_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--fleet" && i + 1 < argc) {
      fleet = argv[++i];
    } else if (arg == "--iterations" && i + 1 < argc) {
      iterations = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--run-dir" && i + 1 < argc) {
      run_dir = argv[++i];
    } else {
      std::cerr
          << "usage: loveless-fleet-bench [--fleet process] [--iterations N] [--run-dir DIR]\n";
      return 2;
    }
  }
  const bool temporary = run_dir.empty();
  if (temporary) {
    run_dir = std::filesystem::temp_directory_path() /
              ("loveless-fleet-bench-" + std::to_string(::getpid()));
  }
  try {
    run(platform_named(fleet), iterations, run_dir);
  } catch (const std::exception& error) {
    std::cerr << "loveless-fleet-bench: " << error.what() << '\n';
    return 1;
  }
  if (temporary) {
    std::filesystem::remove_all(run_dir);
  }
  return 0;
}
