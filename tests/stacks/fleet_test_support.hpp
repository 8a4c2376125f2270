#pragma once

// Shared by the process fleet tests: temporary run directories, bounded waits,
// and a reading of /proc independent of the fleet's own.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "loveless/stacks/process_fleet.hpp"

#include "support/temp_dir.hpp"
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace loveless::stacks::test {

inline const std::string kSleeper = LOVELESS_TEST_SLEEPER;

using loveless::testing::TempDir;

/// Polls `done` every millisecond until it holds or `timeout` passes.
inline bool wait_until(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

struct Stat {
  char state = '?';
  pid_t pgid = 0;
  std::uint64_t start_time = 0;
};

inline std::optional<Stat> proc_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) {
    return std::nullopt;
  }
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  Stat stat;
  std::string skip;
  fields >> stat.state >> skip >> stat.pgid;
  for (int field = 6; field < 22; ++field) {
    fields >> skip;
  }
  fields >> stat.start_time;
  return stat;
}

/// Running or stopped: neither gone nor a zombie.
inline bool alive(pid_t pid) {
  const auto stat = proc_stat(pid);
  return stat && stat->state != 'Z' && stat->state != 'X';
}

inline pid_t pid_of(const Worker& worker) {
  const auto handle = worker.platform_handle();
  return static_cast<pid_t>(std::stoi(handle.substr(handle.find(':') + 1)));
}

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::map<std::string, std::string> read_environment(const std::filesystem::path& file) {
  std::map<std::string, std::string> environment;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const auto equals = line.find('=');
    environment[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return environment;
}

inline std::uintmax_t file_size_or_zero(const std::filesystem::path& file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  return error ? 0 : size;
}

inline FleetOptions options_in(const std::filesystem::path& runs_root, const std::string& run_id) {
  FleetOptions options;
  options.run_id = run_id;
  options.run_dir = runs_root / run_id;
  options.sfn_endpoint = "http://127.0.0.1:9";
  options.region = "eu-west-1";
  return options;
}

inline PoolSpec sleeper_pool(const std::string& name, std::vector<std::string> args = {},
                             int replicas = 1) {
  PoolSpec spec;
  spec.name = name;
  spec.command = {kSleeper};
  spec.command.insert(spec.command.end(), args.begin(), args.end());
  spec.replicas = replicas;
  spec.activity_arn = "arn:aws:states:eu-west-1:123456789012:activity:" + name;
  return spec;
}

/// The worker has finished starting: it wrote its environment.
inline bool wait_ready(const Worker& worker) {
  return wait_until([&] { return std::filesystem::exists(worker.scratch_dir() / "env.txt"); });
}

/// The pool has `count` live workers and every one has finished starting.
/// A replacement is live (listed by Pool::live_workers) from the moment it is
/// created, while still kStarting; its "started" event is recorded only once it
/// runs, so a test that reads the events waits for this, not for the count.
inline bool wait_running(const Pool& pool, std::size_t count) {
  return wait_until([&] {
    const auto live = pool.live_workers();
    if (live.size() != count) return false;
    for (const auto& worker : live) {
      if (worker->state() != WorkerState::kRunning) return false;
    }
    return true;
  });
}

/// A process the fleet did not start: forked and exec'd by the test itself.
class Decoy {
 public:
  explicit Decoy(const std::filesystem::path& tmpdir) {
    std::filesystem::create_directories(tmpdir);
    const std::string tmp = "TMPDIR=" + tmpdir.string();
    const std::string path = kSleeper;
    char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
    char* envp[] = {const_cast<char*>(tmp.c_str()), nullptr};
    pid_ = ::fork();
    if (pid_ == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      ::execve(argv[0], argv, envp);
      ::_exit(127);
    }
  }
  ~Decoy() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  Decoy(const Decoy&) = delete;
  Decoy& operator=(const Decoy&) = delete;
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

/// Collects what a pool's subscribers are told.
class EventLog {
 public:
  void attach(Pool& pool) {
    pool.subscribe([this](const PoolEvent& event) {
      const std::lock_guard lock(mutex_);
      events_.push_back(event);
    });
  }
  [[nodiscard]] std::vector<PoolEvent> events() const {
    const std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<PoolEvent> events_;
};

/// "kind worker detail" lines, easy to compare and to read in a failure.
inline std::vector<std::string> describe(const std::vector<PoolEvent>& events) {
  std::vector<std::string> lines;
  for (const auto& event : events) {
    lines.push_back(std::string(to_string(event.kind)) + " " + event.worker_id + " " +
                    event.detail);
  }
  return lines;
}

}  // namespace loveless::stacks::test
