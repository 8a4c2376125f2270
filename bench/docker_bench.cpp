// Docker fault latency: the Engine API (what the docker fleet uses) against the
// docker command line, for the same effect on the same kind of container,
// measured side by side in one run.
//
//   loveless-docker-bench [--iterations N] [--image IMAGE]
//
// What is measured, from the moment the call is issued:
//   effect   kill:  the container's init process runs no more: /proc/<pid> is
//                   gone or its state is Z (zombie). Killing PID 1 of the
//                   container's pid namespace ends every process in it.
//            pause: the container's cgroup freezer says frozen (v1
//                   `freezer.state` FROZEN, v2 `cgroup.events` frozen 1);
//                   frozen tasks are not 'T' (that is SIGSTOP), so /proc's
//                   state letter is no use here.
//   inspect  `GET /containers/{id}/json` shows the container not running /
//            paused: the engine's own book-keeping, the figure this bench
//            printed before. dockerd answers a kill (and updates inspect) only
//            after its clean-up (the shim reaps the container, the rootfs is
//            unmounted), which dominates API and command line alike.
//   return   the call itself returns: the API answer, or `docker` exits.
// <pid> is the init process (inspect's State.Pid, a host pid with a local
// engine), taken before the clock starts. The call never blocks the clock:
// "api" sends one DockerClient request on a thread, "cli" spawns `docker kill
// <id>` (or pause) without waiting; the bench thread polls the effect tightly
// (a read of /proc or the cgroup file, then sched_yield), then inspect, then
// waits for the call. API and CLI runs alternate so that drift in the engine's
// speed hits both alike.
//
// "fleet" times Worker::kill() of a docker fleet worker the same way (on a
// thread, effect polled here): `return` is when kill() returns, which the
// fleet makes the moment the init process has exited (docs/stacks.md).
//
// Output: one JSON object per line, like loveless-bench: per (fault, measure,
// via) the p50 and p99 in milliseconds, per (fault, measure) the ratio cli/api
// of the p50s and p99s, and per fault whether the goal (effect p50 at least 2x
// faster through the API than through the command line) is met.
// Needs a Docker engine on this host (the effect is read from /proc and
// /sys/fs/cgroup) and the image (default: the docker tests' image).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/docker/docker_fleet.hpp"

#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using loveless::stacks::ContainerConfig;
using loveless::stacks::DockerClient;
using loveless::stacks::DockerError;

constexpr const char* kBenchLabel = "loveless.bench";
constexpr auto kEffectTimeout = std::chrono::seconds(30);

double ms_since(Clock::time_point begin, Clock::time_point end) {
  return std::chrono::duration<double, std::milli>(end - begin).count();
}

// `docker <verb> <id>` spawned without waiting; a thread reaps it and notes
// when it exited.
class CliCall {
 public:
  CliCall(const std::string& verb, const std::string& id) {
    std::vector<std::string> args = {"docker", verb, id};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, "docker", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) throw std::runtime_error("cannot run the docker command line");
    waiter_ = std::thread([this, pid, verb, id] {
      int status = 0;
      ::waitpid(pid, &status, 0);
      returned_ = Clock::now();
      ok_ = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      what_ = "docker " + verb + " " + id;
    });
  }
  // Waits for the command; returns when it exited. Throws if it failed.
  Clock::time_point finish() {
    waiter_.join();
    if (!ok_) throw std::runtime_error(what_ + " failed");
    return returned_;
  }

 private:
  std::thread waiter_;
  Clock::time_point returned_;
  bool ok_ = false;
  std::string what_;
};

// One DockerClient call on a thread; notes when it returned.
class ApiCall {
 public:
  explicit ApiCall(std::function<void()> call)
      : thread_([this, call = std::move(call)] {
          try {
            call();
          } catch (const std::exception& error) {
            error_ = error.what();
          }
          returned_ = Clock::now();
        }) {}
  Clock::time_point finish() {
    thread_.join();
    if (!error_.empty()) throw std::runtime_error(error_);
    return returned_;
  }

 private:
  std::string error_;
  Clock::time_point returned_;
  std::thread thread_;
};

// Polls `effect` without sleeping (a yield lets the engine's processes run on
// a small machine) until it holds; returns when it did.
Clock::time_point poll_tightly(const std::function<bool()>& effect) {
  const auto deadline = Clock::now() + kEffectTimeout;
  while (!effect()) {
    if (Clock::now() > deadline) throw std::runtime_error("effect not seen within 30 s");
    ::sched_yield();
  }
  return Clock::now();
}

void poll_until(const std::function<bool()>& condition) {
  const auto deadline = Clock::now() + kEffectTimeout;
  while (!condition()) {
    if (Clock::now() > deadline) throw std::runtime_error("condition not met within 30 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// Reads a small file from an fd kept open (pread at 0): cheap enough to poll
// tightly. For /proc/<pid>/stat the read fails (ESRCH) once the process is
// reaped, even if the pid is reused meanwhile.
class PolledFile {
 public:
  explicit PolledFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("cannot open " + path);
  }
  ~PolledFile() { ::close(fd_); }
  PolledFile(const PolledFile&) = delete;
  PolledFile& operator=(const PolledFile&) = delete;
  /// The content, or nullopt when it cannot be read any more.
  std::optional<std::string> read() const {
    char buffer[1024];
    const auto n = ::pread(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }

 private:
  int fd_;
};

// The process runs no more: reaped (the read fails) or a zombie.
bool process_ended(const PolledFile& stat) {
  const auto text = stat.read();
  if (!text) return true;
  const auto paren = text->rfind(')');
  if (paren == std::string::npos || paren + 2 >= text->size()) return true;
  const char state = (*text)[paren + 2];
  return state == 'Z' || state == 'X';
}

// The cgroup file that tells whether the container is frozen, and how to read it.
struct FreezerProbe {
  std::string path;
  bool v2 = false;
};

FreezerProbe freezer_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
  std::string unified;
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const auto controllers = line.substr(first + 1, second - first - 1);
    const auto path = line.substr(second + 1);
    std::stringstream names(controllers);
    for (std::string name; std::getline(names, name, ',');) {
      if (name == "freezer") return {"/sys/fs/cgroup/freezer" + path + "/freezer.state", false};
    }
    if (controllers.empty()) unified = path;
  }
  if (unified.empty()) throw std::runtime_error("no freezer cgroup for pid " + std::to_string(pid));
  return {"/sys/fs/cgroup" + unified + "/cgroup.events", true};
}

bool frozen(const FreezerProbe& probe, const PolledFile& file) {
  const auto text = file.read();
  if (!text) return false;
  return probe.v2 ? text->find("frozen 1") != std::string::npos : text->rfind("FROZEN", 0) == 0;
}

double percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  // Nearest rank: with 30 samples p99 is the slowest one.
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(samples.size())));
  return samples.at(std::max<std::size_t>(rank, 1) - 1);
}

// Samples per (measure, via).
using Samples = std::map<std::pair<std::string, std::string>, std::vector<double>>;

class Bench {
 public:
  Bench(const DockerClient& docker, std::string image, std::filesystem::path scratch)
      : docker_(docker), image_(std::move(image)), scratch_(std::move(scratch)) {}
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;
  ~Bench() {
    for (const auto& container : docker_.list_containers({{kBenchLabel, label_}})) {
      docker_.remove_container(container.id);
    }
  }

  // A running container whose worker has done its start-up, so a fault hits
  // a worker at work, not one still starting.
  std::string start_container() {
    ContainerConfig config;
    config.image = image_;
    config.scratch_dir = scratch_ / std::to_string(++started_);
    std::filesystem::create_directories(config.scratch_dir);
    config.labels = {{kBenchLabel, label_}};
    const std::string id = docker_.create_container(config);
    docker_.start_container(id);
    poll_until([&] { return std::filesystem::exists(config.scratch_dir / "heartbeat"); });
    return id;
  }

  void time_kill(bool api, Samples& samples) {
    const std::string id = start_container();
    const int pid = docker_.inspect_container(id).pid;
    if (pid <= 0) throw std::runtime_error("the engine reports no pid for " + id);
    const PolledFile stat("/proc/" + std::to_string(pid) + "/stat");
    const std::string via = api ? "api" : "cli";

    const auto begin = Clock::now();
    std::optional<ApiCall> api_call;
    std::optional<CliCall> cli_call;
    if (api) {
      api_call.emplace([this, id] { docker_.kill_container(id); });
    } else {
      cli_call.emplace("kill", id);
    }
    const auto effect = poll_tightly([&] { return process_ended(stat); });
    poll_until([&] { return !docker_.inspect_container(id).running; });
    const auto inspected = Clock::now();
    const auto returned = api ? api_call->finish() : cli_call->finish();
    samples[{"effect", via}].push_back(ms_since(begin, effect));
    samples[{"inspect", via}].push_back(ms_since(begin, inspected));
    samples[{"return", via}].push_back(ms_since(begin, returned));
    docker_.remove_container(id);
  }

  void time_pause(const std::string& id, const FreezerProbe& probe, bool api, Samples& samples) {
    const PolledFile state(probe.path);
    const std::string via = api ? "api" : "cli";
    const auto begin = Clock::now();
    std::optional<ApiCall> api_call;
    std::optional<CliCall> cli_call;
    if (api) {
      api_call.emplace([this, id] { docker_.pause_container(id); });
    } else {
      cli_call.emplace("pause", id);
    }
    const auto effect = poll_tightly([&] { return frozen(probe, state); });
    poll_until([&] { return docker_.inspect_container(id).paused; });
    const auto inspected = Clock::now();
    const auto returned = api ? api_call->finish() : cli_call->finish();
    samples[{"effect", via}].push_back(ms_since(begin, effect));
    samples[{"inspect", via}].push_back(ms_since(begin, inspected));
    samples[{"return", via}].push_back(ms_since(begin, returned));
    docker_.unpause_container(id);
    poll_until([&] { return !frozen(probe, state); });
  }

 private:
  const DockerClient& docker_;
  const std::string image_;
  const std::filesystem::path scratch_;
  const std::string label_ = std::to_string(::getpid());
  int started_ = 0;
};

// Worker::kill() of a docker fleet's worker: when it returns, and when the
// init process has ended (polled here while kill() runs on a thread).
void time_fleet_kills(const std::shared_ptr<const DockerClient>& docker, const std::string& image,
                      const std::filesystem::path& run_dir, int iterations, Samples& samples) {
  loveless::stacks::FleetOptions options;
  options.run_id = "bench-" + std::to_string(::getpid());
  options.run_dir = run_dir;
  options.sfn_endpoint = "http://127.0.0.1:9";
  const auto fleet = loveless::stacks::make_docker_fleet(options, docker);
  loveless::stacks::PoolSpec spec;
  spec.name = "bench";
  spec.image = image;
  spec.activity_arn = "arn:aws:states:us-east-1:123456789012:activity:bench";
  const auto pool = fleet->add_activity_pool(spec);
  for (int i = 0; i < iterations; ++i) {
    std::shared_ptr<loveless::stacks::Worker> worker;
    poll_until([&] {
      const auto live = pool->live_workers();
      if (live.empty() || live.front()->state() != loveless::stacks::WorkerState::kRunning) {
        return false;
      }
      worker = live.front();
      return std::filesystem::exists(worker->scratch_dir() / "heartbeat");
    });
    const int pid = docker->inspect_container(worker->platform_handle()).pid;
    const PolledFile stat("/proc/" + std::to_string(pid) + "/stat");
    const auto begin = Clock::now();
    ApiCall call([worker] { worker->kill(); });
    const auto effect = poll_tightly([&] { return process_ended(stat); });
    const auto returned = call.finish();
    samples[{"effect", "fleet"}].push_back(ms_since(begin, effect));
    samples[{"return", "fleet"}].push_back(ms_since(begin, returned));
    poll_until([&] { return worker->state() == loveless::stacks::WorkerState::kDead; });
  }
  fleet->shutdown();
}

void report(const std::string& fault, const Samples& samples) {
  const std::string bench = "docker-" + fault;
  for (const auto& [key, values] : samples) {
    std::cout << nlohmann::json{{"bench", bench},
                                {"measure", key.first},
                                {"via", key.second},
                                {"n", values.size()},
                                {"p50_ms", percentile(values, 0.50)},
                                {"p99_ms", percentile(values, 0.99)}}
                     .dump()
              << '\n';
  }
  for (const std::string measure : {"effect", "inspect", "return"}) {
    const auto api = samples.find({measure, "api"});
    const auto cli = samples.find({measure, "cli"});
    if (api == samples.end() || cli == samples.end()) continue;
    std::cout << nlohmann::json{{"bench", bench},
                                {"measure", measure},
                                {"ratio_cli_over_api_p50",
                                 percentile(cli->second, 0.50) / percentile(api->second, 0.50)},
                                {"ratio_cli_over_api_p99",
                                 percentile(cli->second, 0.99) / percentile(api->second, 0.99)}}
                     .dump()
              << '\n';
  }
  const auto ratio = percentile(samples.at({"effect", "cli"}), 0.50) /
                     percentile(samples.at({"effect", "api"}), 0.50);
  std::cout << nlohmann::json{{"bench", bench},
                              {"goal", "effect p50 via api at least 2x faster than via cli"},
                              {"ratio", ratio},
                              {"met", ratio >= 2.0}}
                   .dump()
            << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 30;
  std::string image = "loveless/test-container-worker";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--iterations" && i + 1 < argc) {
      iterations = std::atoi(argv[++i]);
    } else if (arg == "--image" && i + 1 < argc) {
      image = argv[++i];
    } else {
      std::cerr << "usage: loveless-docker-bench [--iterations N] [--image IMAGE]\n";
      return 2;
    }
  }
  if (iterations < 1) {
    std::cerr << "loveless-docker-bench: --iterations must be at least 1\n";
    return 2;
  }
  try {
    const auto docker = std::make_shared<const DockerClient>();
    docker->ping();
    if (!docker->has_image(image)) {
      std::cerr << "loveless-docker-bench: the engine has no image " << image
                << " (build the tests with an engine up, or scripts/build-images)\n";
      return 1;
    }
    const auto scratch = std::filesystem::temp_directory_path() /
                         ("loveless-docker-bench-" + std::to_string(::getpid()));
    {
      Bench bench(*docker, image, scratch);
      Samples kill;
      for (int i = 0; i < iterations; ++i) {
        bench.time_kill(true, kill);
        bench.time_kill(false, kill);
      }
      time_fleet_kills(docker, image, scratch / "fleet", iterations, kill);
      report("kill", kill);

      Samples pause;
      const std::string id = bench.start_container();
      const auto probe = freezer_of(docker->inspect_container(id).pid);
      for (int i = 0; i < iterations; ++i) {
        bench.time_pause(id, probe, true, pause);
        bench.time_pause(id, probe, false, pause);
      }
      report("pause", pause);
    }
    std::filesystem::remove_all(scratch);
  } catch (const std::exception& error) {
    std::cerr << "loveless-docker-bench: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
