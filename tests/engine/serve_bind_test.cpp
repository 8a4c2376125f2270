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

#include "serve_process.hpp"
#include "support/temp_dir.hpp"

namespace {

/// Runs `loveless serve --port 0 --host <host>` until it prints its URL, then
/// stops it with SIGTERM; returns what it wrote to stderr by then.
std::string serve_stderr(const std::string& host) {
  const loveless::testing::TempDir dir;
  const auto err_file = dir.path() / "serve.err";
  std::string first_line;
  {
    // The URL line comes after any warning: stderr is complete once it is read.
    loveless::engine::testing::ServeProcess serve(
        {LOVELESS_BINARY, "serve", "--port", "0", "--host", host}, err_file);
    first_line = serve.first_line();
    serve.terminate();
  }
  std::ifstream in(err_file);
  std::ostringstream text;
  text << in.rdbuf();
  INFO("stderr:\n" << text.str());
  CHECK(first_line.find("listening on http://" + host + ":") != std::string::npos);
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
