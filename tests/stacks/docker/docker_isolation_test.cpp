#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/stacks/docker/docker_fleet.hpp"

#include "docker_test_support.hpp"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace loveless::stacks;
using namespace loveless::stacks::testing;

namespace {

// A TCP listener on the host's 127.0.0.1, on a port the kernel picks.
class LoopbackListener {
 public:
  LoopbackListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~LoopbackListener() { ::close(fd_); }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  [[nodiscard]] int port() const { return port_; }

  /// The first line a client sends within `timeout_ms`, or empty.
  std::string accept_line(int timeout_ms) const {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, timeout_ms) != 1) return {};
    const int client = ::accept(fd_, nullptr, nullptr);
    if (client < 0) return {};
    std::string line;
    char c = 0;
    while (::recv(client, &c, 1, 0) == 1 && c != '\n') line += c;
    ::close(client);
    return line;
  }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace

TEST_CASE("docker fleet: labels, read-only root, host network, environment",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto options = test_fleet_options(run_dir.path());
  const auto fleet = make_docker_fleet(options, docker);
  const LoopbackListener listener;
  auto spec = test_pool_spec("isolated");
  spec.environment["LOVELESS_PROBE_PORT"] = std::to_string(listener.port());
  spec.environment["GREETING"] = "hello";
  const auto pool = fleet->add_activity_pool(spec);
  const auto worker = pool->live_workers().at(0);

  // Only on the host network does the container's 127.0.0.1 reach this listener.
  CHECK(listener.accept_line(10000) == "isolated-1");

  const auto state = docker->inspect_container(worker->platform_handle());
  CHECK(state.labels.at("loveless.run") == options.run_id);
  CHECK(state.labels.at("loveless.pool") == "isolated");
  CHECK(state.labels.at("loveless.worker") == "isolated-1");
  CHECK_THAT(state.labels.at("loveless.owner"),
             Catch::Contains("/" + std::to_string(::getpid()) + "/"));

  const auto scratch = worker->scratch_dir();
  REQUIRE(wait_until([&] { return !read_file(scratch / "rootfs-write").empty(); }));
  CHECK_THAT(read_file(scratch / "rootfs-write"),
             Catch::StartsWith("denied Read-only file system"));
  REQUIRE(wait_until([&] { return !read_file(scratch / "environment").empty(); }));
  const std::string variables = read_file(scratch / "environment");
  for (const std::string& expected : std::vector<std::string>{
           "TMPDIR=/tmp\n", "LOVELESS_WORKER_NAME=isolated-1\n",
           "LOVELESS_RUN_ID=" + options.run_id + "\n",
           "AWS_ENDPOINT_URL_SFN=http://127.0.0.1:8083\n", "AWS_REGION=us-east-1\n",
           "LOVELESS_ACTIVITY_ARN=" + spec.activity_arn + "\n", "GREETING=hello\n",
           std::string("AWS_ACCESS_KEY_ID=")}) {
    CHECK_THAT(variables, Catch::Contains(expected));
  }
  CHECK_THAT(variables, !Catch::Contains("AWS_LAMBDA_RUNTIME_API"));
  // Written by the fleet's own user, so the host may audit and wipe it.
  struct stat info {};
  REQUIRE(::stat((scratch / "environment").c_str(), &info) == 0);
  CHECK(info.st_uid == ::getuid());
}
