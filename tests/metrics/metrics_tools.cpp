#include "metrics_tools.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <tuple>

#include <catch2/catch.hpp>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loveless::testing {

namespace bp = boost::process;

std::optional<std::filesystem::path> tool_or_skip(const std::string& name,
                                                  const std::string& package) {
  auto found = bp::search_path(name);
  if (found.empty() && std::filesystem::exists("/usr/bin/" + name)) found = "/usr/bin/" + name;
  if (!found.empty()) return std::filesystem::path(found.string());
  const std::string reason = name + " is not installed (Debian package " + package +
                             "; scripts/setup --with-test-tools installs it)";
  const char* required = std::getenv("LOVELESS_REQUIRE_TOOLS");
  if (required != nullptr && std::string(required) == "1") {
    FAIL("LOVELESS_REQUIRE_TOOLS=1 but " << reason);
  }
  std::cout << "LOVELESS-SKIP: " << reason << '\n';
  return std::nullopt;
}

std::pair<int, std::string> promtool_check_metrics(const std::filesystem::path& promtool,
                                                   const std::string& exposition) {
  bp::opstream in;
  bp::ipstream out;
  bp::child child(promtool.string(), "check", "metrics",
                  bp::std_in<in, (bp::std_out & bp::std_err)> out);
  in << exposition;
  in.flush();
  in.pipe().close();
  std::ostringstream text;
  for (std::string line; std::getline(out, line);) text << line << '\n';
  child.wait();
  return {child.exit_code(), text.str()};
}

namespace {

/// A TCP socket bound to 127.0.0.1 on a port the kernel picks; its port.
std::pair<int, int> bound_socket() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  return {fd, ntohs(address.sin_port)};
}

}  // namespace

int free_port() {
  const auto [fd, port] = bound_socket();
  ::close(fd);
  return port;
}

ListeningSocket::ListeningSocket() {
  std::tie(fd_, port_) = bound_socket();
  REQUIRE(::listen(fd_, 1) == 0);
}

ListeningSocket::~ListeningSocket() { ::close(fd_); }

std::optional<std::string> http_get(int port, const std::string& target) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  const auto response = client.Get(target);
  if (!response || response->status != 200) return std::nullopt;
  return response->body;
}

ServerProcess::ServerProcess(const std::filesystem::path& binary,
                             const std::vector<std::string>& args, const std::filesystem::path& log)
    : log_(log),
      child_(binary.string(), bp::args(args), (bp::std_out & bp::std_err) > log.string(),
             bp::std_in < bp::null) {}

ServerProcess::~ServerProcess() {
  std::error_code ignored;
  if (child_.running(ignored)) ::kill(child_.id(), SIGKILL);
  child_.wait(ignored);
}

bool ServerProcess::running() {
  std::error_code error;
  return child_.running(error);
}

std::string ServerProcess::log() const {
  std::ifstream in(log_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

}  // namespace loveless::testing
