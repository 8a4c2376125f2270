// Docker fault latency: the Engine API (what the docker fleet uses) against the
// docker command line, for the same effect on the same kind of container.
//
//   loveless-docker-bench [--iterations N] [--image IMAGE]
//
//   kill:  call -> `GET /containers/{id}/json` shows it not running
//   pause: call -> `GET /containers/{id}/json` shows it paused
// "api" is one DockerClient call; "cli" runs `docker kill|pause <id>` as a
// command and waits for it. The clock starts before the call and stops when
// the inspect poll (the same for both) sees the effect. API and CLI runs
// alternate so that drift in the engine's speed hits both alike.
//
// Output: one JSON object per line, like loveless-bench: per (fault, via) the
// p50 and p99 in milliseconds, then per fault the ratio cli/api of the p50s.
// Needs a Docker engine and the image (default: the docker tests' image).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/stacks/docker/docker_client.hpp"

#include <fcntl.h>
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

// Runs `docker <verb> <id>` and waits for it; throws if it fails.
void run_cli(const std::string& verb, const std::string& id) {
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
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("docker " + verb + " " + id + " failed");
  }
}

void poll_until(const std::function<bool()>& effect) {
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!effect()) {
    if (Clock::now() > deadline) throw std::runtime_error("effect not seen within 30 s");
  }
}

double percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  // Nearest rank: with 30 samples p99 is the slowest one.
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(samples.size())));
  return samples.at(std::max<std::size_t>(rank, 1) - 1);
}

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

  double time_kill(bool api) {
    const std::string id = start_container();
    const auto begin = Clock::now();
    if (api) {
      docker_.kill_container(id);
    } else {
      run_cli("kill", id);
    }
    poll_until([&] { return !docker_.inspect_container(id).running; });
    const auto elapsed = Clock::now() - begin;
    docker_.remove_container(id);
    return std::chrono::duration<double, std::milli>(elapsed).count();
  }

  double time_pause(const std::string& id, bool api) {
    const auto begin = Clock::now();
    if (api) {
      docker_.pause_container(id);
    } else {
      run_cli("pause", id);
    }
    poll_until([&] { return docker_.inspect_container(id).paused; });
    const auto elapsed = Clock::now() - begin;
    docker_.unpause_container(id);
    return std::chrono::duration<double, std::milli>(elapsed).count();
  }

 private:
  const DockerClient& docker_;
  const std::string image_;
  const std::filesystem::path scratch_;
  const std::string label_ = std::to_string(::getpid());
  int started_ = 0;
};

void report(const std::string& fault, const std::vector<double>& api,
            const std::vector<double>& cli) {
  for (const auto& [via, samples] : {std::pair{"api", &api}, std::pair{"cli", &cli}}) {
    std::cout << nlohmann::json{{"bench", "docker-" + fault},
                                {"via", via},
                                {"n", samples->size()},
                                {"p50_ms", percentile(*samples, 0.50)},
                                {"p99_ms", percentile(*samples, 0.99)}}
                     .dump()
              << '\n';
  }
  std::cout
      << nlohmann::json{{"bench", "docker-" + fault},
                        {"ratio_cli_over_api_p50", percentile(cli, 0.50) / percentile(api, 0.50)},
                        {"ratio_cli_over_api_p99", percentile(cli, 0.99) / percentile(api, 0.99)}}
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
  try {
    const DockerClient docker;
    docker.ping();
    if (!docker.has_image(image)) {
      std::cerr << "loveless-docker-bench: the engine has no image " << image
                << " (build the tests with an engine up, or scripts/build-images)\n";
      return 1;
    }
    const auto scratch = std::filesystem::temp_directory_path() /
                         ("loveless-docker-bench-" + std::to_string(::getpid()));
    {
      Bench bench(docker, image, scratch);
      std::vector<double> api;
      std::vector<double> cli;
      for (int i = 0; i < iterations; ++i) {
        api.push_back(bench.time_kill(true));
        cli.push_back(bench.time_kill(false));
      }
      report("kill", api, cli);

      api.clear();
      cli.clear();
      const std::string id = bench.start_container();
      for (int i = 0; i < iterations; ++i) {
        api.push_back(bench.time_pause(id, true));
        cli.push_back(bench.time_pause(id, false));
      }
      report("pause", api, cli);
    }
    std::filesystem::remove_all(scratch);
  } catch (const std::exception& error) {
    std::cerr << "loveless-docker-bench: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
