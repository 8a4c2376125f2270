#pragma once

// `loveless serve` as a child process, for the tests that drive the command.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace loveless::engine::testing {

/// `loveless serve` in a child process; its first stdout line gives the URL.
class ServeProcess {
 public:
  /// Starts `args` (argv[0] a path) and reads its first stdout line;
  /// `stderr_file`, when given, receives its stderr.
  explicit ServeProcess(std::vector<std::string> args,
                        const std::filesystem::path& stderr_file = {}) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    if (!stderr_file.empty()) {
      posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    stdout_ = ::fdopen(out[0], "r");
    char line[512];
    REQUIRE(std::fgets(line, sizeof line, stdout_) != nullptr);
    const std::string text(line);
    first_line_ = text;
    const auto at = text.find("http://");
    REQUIRE(at != std::string::npos);
    url_ = text.substr(at, text.find_first_of("\r\n", at) - at);
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_ != nullptr) std::fclose(stdout_);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  [[nodiscard]] const std::string& url() const { return url_; }
  /// The line that named the URL, as printed.
  [[nodiscard]] const std::string& first_line() const { return first_line_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  /// The process was reaped by the test itself.
  void forget() { pid_ = -1; }
  /// SIGTERM, then the exit status.
  int terminate() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  std::string url_;
  std::string first_line_;
};

}  // namespace loveless::engine::testing
