// `loveless serve --host`: an engine bound beyond loopback warns on stderr
// that it has no authentication; on loopback it says nothing of the kind.
// The engine binds 0.0.0.0 on an ephemeral port, but nothing connects to it.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace {

/// Runs `loveless serve --port 0 --host <host>` until it prints its URL, then
/// stops it with SIGTERM; returns what it wrote to stderr by then.
std::string serve_stderr(const std::string& host) {
  const loveless::testing::TempDir dir;
  const auto err_file = dir.path() / "serve.err";
  int out[2];
  REQUIRE(::pipe(out) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args = {LOVELESS_BINARY, "serve", "--port", "0", "--host", host};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  FILE* stdout_of_serve = ::fdopen(out[0], "r");
  char line[512];
  // The URL line comes after any warning: stderr is complete once it is read.
  const bool started = std::fgets(line, sizeof line, stdout_of_serve) != nullptr;
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::fclose(stdout_of_serve);
  std::ifstream in(err_file);
  std::ostringstream text;
  text << in.rdbuf();
  INFO("stderr:\n" << text.str());
  REQUIRE(started);
  CHECK(std::string(line).find("listening on http://" + host + ":") != std::string::npos);
  return text.str();
}

}  // namespace

TEST_CASE("loveless serve on a non-loopback address warns that it has no authentication",
          "[engine][cli]") {
  const auto err = serve_stderr("0.0.0.0");
  INFO(err);
  CHECK(err.find("warning: the engine (loveless serve) listens on 0.0.0.0:") != std::string::npos);
  CHECK(err.find("has no authentication") != std::string::npos);
  CHECK(err.find("Listen on 127.0.0.1, or put it behind a proxy that authenticates") !=
        std::string::npos);
}

TEST_CASE("loveless serve on loopback gives no such warning", "[engine][cli]") {
  const auto err = serve_stderr("127.0.0.1");
  INFO(err);
  CHECK(err.find("no authentication") == std::string::npos);
}
