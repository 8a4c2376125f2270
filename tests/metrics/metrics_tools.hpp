#pragma once

// The real Prometheus tools for the metrics tests: promtool, prometheus and
// prometheus-pushgateway (Debian packages; scripts/setup --with-test-tools
// installs them). A missing tool skips the test with `LOVELESS-SKIP: <reason>`
// (CTest reports it skipped), or fails it under LOVELESS_REQUIRE_TOOLS=1
// (.ci/run sets it). Servers run on 127.0.0.1 on a free port, from a
// temporary directory, and are killed when their handle goes, even when the
// test fails.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/process.hpp>

namespace loveless::testing {

/// The tool's path on PATH (or in /usr/bin), or nullopt after printing
/// `LOVELESS-SKIP:`; FAILs under LOVELESS_REQUIRE_TOOLS=1.
std::optional<std::filesystem::path> tool_or_skip(const std::string& name,
                                                  const std::string& package);

/// Runs `promtool check metrics` on `exposition`; returns its exit code and
/// its output (stdout and stderr).
std::pair<int, std::string> promtool_check_metrics(const std::filesystem::path& promtool,
                                                   const std::string& exposition);

/// A TCP port on 127.0.0.1 nobody listens on right now.
int free_port();

/// A socket listening on 127.0.0.1 on a free port while it lives (a port
/// that is taken).
class ListeningSocket {
 public:
  ListeningSocket();
  ~ListeningSocket();
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// GET http://127.0.0.1:`port``target`; the body, or nullopt when the
/// server does not answer 200.
std::optional<std::string> http_get(int port, const std::string& target);

/// A server process (prometheus, pushgateway) with its output in a log file;
/// killed (SIGKILL, then reaped) by the destructor.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& binary, const std::vector<std::string>& args,
                const std::filesystem::path& log);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] bool running();
  [[nodiscard]] int pid() const { return child_.id(); }
  /// The log so far (for failure messages).
  [[nodiscard]] std::string log() const;

 private:
  std::filesystem::path log_;
  boost::process::child child_;
};

/// Polls `condition` every 100 ms until it holds (true) or `limit` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit);

}  // namespace loveless::testing
