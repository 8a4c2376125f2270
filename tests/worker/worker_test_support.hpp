#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/engine/http_server.hpp"

#include "engine_test_support.hpp"
#include "support/temp_dir.hpp"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace loveless::worker::testing {

/// The engine in process, served over HTTP on an ephemeral loopback port, so
/// the worker SDK talks to it exactly as to Step Functions.
class EngineServer : public engine::testing::ServiceFixture {
 public:
  explicit EngineServer(engine::ServiceOptions options = engine::testing::fast_options(),
                        int port = 0)
      : ServiceFixture(std::move(options)), server(service) {
    server.start("127.0.0.1", port);
  }
  ~EngineServer() { server.stop(); }
  EngineServer(const EngineServer&) = delete;
  EngineServer& operator=(const EngineServer&) = delete;

  [[nodiscard]] std::string url() const { return server.url(); }

  /// The first history event of `type`, or null.
  nlohmann::json first_event(const std::string& execution_arn, const std::string& type) {
    for (const auto& event : history(execution_arn)) {
      if (event["type"] == type) return event;
    }
    return nullptr;
  }

  engine::HttpServer server;
};

/// A loopback port nothing listens on (bound once, then released).
inline int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find an unused loopback port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

using loveless::testing::TempDir;

/// `worker_sdk_test_worker <args>` as a child process with exactly `environment`
/// (nothing inherited) and stderr captured in a file. Killed and reaped on
/// destruction if still running.
class ChildWorker {
 public:
  ChildWorker(const std::vector<std::string>& args,
              const std::map<std::string, std::string>& environment) {
    stderr_path_ = scratch_.path() / "stderr.txt";
    std::vector<std::string> argv_strings{LOVELESS_TEST_WORKER_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<std::string> env_strings;
    env_strings.reserve(environment.size() + 1);
    for (const auto& [key, value] : environment) {
      std::string entry = key;
      entry += '=';
      entry += value;
      env_strings.push_back(std::move(entry));
    }
    if (environment.count("TMPDIR") == 0) {
      env_strings.push_back("TMPDIR=" + scratch_.path().string());
    }
    std::vector<char*> argv;
    argv.reserve(argv_strings.size() + 1);
    for (auto& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw std::runtime_error("posix_spawn failed: " + std::to_string(error));
  }
  ~ChildWorker() {
    if (!exit_code_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  ChildWorker(const ChildWorker&) = delete;
  ChildWorker& operator=(const ChildWorker&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  void signal(int number) const { ::kill(pid_, number); }

  /// The exit code (128 + signal number when killed by a signal) once the
  /// child ended within `timeout`, else nullopt.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_code_) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return exit_code_;
  }

  [[nodiscard]] std::string stderr_text() const {
    std::ifstream in(stderr_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  TempDir scratch_;
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

}  // namespace loveless::worker::testing
