// ConnectionOwners: a loopback connection to a server is traced to the fleet
// worker whose process opened it (process fleet: its process group), and to
// nobody when no fleet worker owns it (this process, a process the fleet did
// not start, a connection that is gone); a connection a LatencyProxy makes for
// a worker is that worker's.
#include "loveless/stacks/connection_owners.hpp"

#include <set>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "loveless/stacks/latency_routes.hpp"

#include "fleet_test_support.hpp"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace loveless::stacks::test {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)

/// A TCP listener on 127.0.0.1:<ephemeral>; `accept_peer` returns the
/// client's port of the next connection (0 after 10 s without one).
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() {
    for (const int fd : accepted_) ::close(fd);
    ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  [[nodiscard]] int port() const { return port_; }

  int accept_peer() {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, 10'000) != 1) return 0;
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    const int fd = ::accept(fd_, reinterpret_cast<sockaddr*>(&peer), &length);
    if (fd < 0) return 0;
    accepted_.push_back(fd);
    last_ = fd;
    return ntohs(peer.sin_port);
  }
  /// Closes the last accepted connection.
  void close_last() {
    std::erase(accepted_, last_);
    ::close(last_);
    last_ = -1;
  }
  /// Reads one byte from the last accepted connection (false after 10 s).
  bool read_byte() const {
    pollfd ready{last_, POLLIN, 0};
    char byte = 0;
    return ::poll(&ready, 1, 10'000) == 1 && ::read(last_, &byte, 1) == 1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  int last_ = -1;
  std::vector<int> accepted_;
};

/// A connection from this process to `port`.
int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

/// Workers that open a connection to `port` and keep it: bash, and its
/// child `sleep`, which inherits the socket (two holders in one group).
PoolSpec connecting_pool(const std::string& name, int port, int replicas) {
  PoolSpec spec;
  spec.name = name;
  spec.command = {
      "/bin/bash", "-c",
      "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) + " || exit 1; sleep 60 & wait"};
  spec.replicas = replicas;
  spec.activity_arn = "arn:aws:states:eu-west-1:123456789012:activity:" + name;
  return spec;
}

}  // namespace

TEST_CASE("a connection is traced to the process-fleet worker whose process opened it",
          "[connection_owners]") {
  TempDir runs;
  Listener listener;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-owners"));
  const auto pool = fleet->add_activity_pool(connecting_pool("owners", listener.port(), 2));
  ConnectionOwners owners([pool] { return pool->live_workers(); });

  std::map<int, std::string> owner_of_port;
  for (int i = 0; i < 2; ++i) {
    const int peer = listener.accept_peer();
    REQUIRE(peer > 0);
    owner_of_port[peer] = owners.worker_of(peer, listener.port());
  }
  std::set<std::string> owners_found;
  for (const auto& [peer, owner] : owner_of_port) {
    INFO("client port " << peer);
    owners_found.insert(owner);
    const auto inode = client_socket_inode(peer, listener.port());
    REQUIRE(inode.has_value());
    const auto holders = socket_holders(*inode);
    // bash and its `sleep` hold it; both are in the owner's process group.
    CHECK(holders.size() == 2);
    const auto workers = pool->workers();
    REQUIRE(workers.size() == 2);
    const auto& worker = *workers[owner == "owners-1" ? 0 : 1];
    for (const int pid : holders) {
      const auto stat = proc_stat(pid);
      REQUIRE(stat.has_value());
      CHECK(stat->pgid == pid_of(worker));
    }
    // Asked again (a keep-alive connection's next call): the same answer.
    CHECK(owners.worker_of(peer, listener.port()) == owner);
  }
  CHECK(owners_found == std::set<std::string>{"owners-1", "owners-2"});

  SECTION("nobody in the fleet owns this process's own connection") {
    const int fd = connect_to(listener.port());
    const int peer = listener.accept_peer();
    REQUIRE(peer > 0);
    REQUIRE(client_socket_inode(peer, listener.port()).has_value());
    CHECK(socket_holders(*client_socket_inode(peer, listener.port())).empty());
    CHECK(owners.worker_of(peer, listener.port()).empty());
    // ... unless a proxy of this process says whose it is.
    ConnectionOwners proxied([pool] { return pool->live_workers(); },
                             [peer](int client_port, int) -> std::optional<std::string> {
                               if (client_port == peer) return "owners-9";
                               return std::nullopt;
                             });
    CHECK(proxied.worker_of(peer, listener.port()) == "owners-9");
    ::close(fd);
  }

  SECTION("nobody owns the connection of a process the fleet did not start") {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // Async-signal-safe calls only: the parent has threads.
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<std::uint16_t>(listener.port()));
      if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) ::_exit(1);
      ::pause();
      ::_exit(0);
    }
    const int peer = listener.accept_peer();
    REQUIRE(peer > 0);
    const auto inode = client_socket_inode(peer, listener.port());
    REQUIRE(inode.has_value());
    CHECK(socket_holders(*inode) == std::vector<int>{child});
    CHECK(owners.worker_of(peer, listener.port()).empty());
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  }

  SECTION("a killed worker's connection is nobody's") {
    const auto killed = owner_of_port.begin();
    const auto worker = pool->workers()[killed->second == "owners-1" ? 0 : 1];
    worker->kill();
    REQUIRE(wait_until([&] { return worker->state() == WorkerState::kDead; }));
    REQUIRE(wait_until([&] { return !client_socket_inode(killed->first, listener.port()); }));
    CHECK(owners.worker_of(killed->first, listener.port()).empty());
  }
  fleet->shutdown();
}

TEST_CASE("no socket is found for a port pair that has no established connection",
          "[connection_owners]") {
  Listener listener;
  CHECK_FALSE(client_socket_inode(1, listener.port()).has_value());
  ConnectionOwners owners([] { return std::vector<std::shared_ptr<Worker>>{}; });
  CHECK(owners.worker_of(1, listener.port()).empty());
}

TEST_CASE("a connection its client has closed is told apart from an open one",
          "[connection_owners]") {
  // A worker stopped while its GetActivityTask waited for a server thread:
  // the server reads the poll after the client hung up (docs/stacks.md).
  Listener listener;
  const int client = connect_to(listener.port());
  const int peer = listener.accept_peer();
  REQUIRE(peer != 0);
  CHECK_FALSE(client_has_closed(peer, listener.port()));
  ::close(client);
  // The server's end is in CLOSE_WAIT once the client's FIN has arrived.
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {
    closed = client_has_closed(peer, listener.port());
    if (!closed) std::this_thread::sleep_for(10ms);
  }
  CHECK(closed);
  CHECK_FALSE(client_socket_inode(peer, listener.port()).has_value());
  CHECK_FALSE(client_has_closed(1, listener.port()));
}

TEST_CASE("a worker's latency route names it as the owner of its upstream connections",
          "[connection_owners][latency]") {
  Listener listener;
  const auto port = static_cast<std::uint16_t>(listener.port());
  LatencyRoutes routes;
  const auto endpoint =
      routes.sfn_endpoint("work-3", "http://127.0.0.1:" + std::to_string(listener.port()));
  const int client = connect_to(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
  REQUIRE(::write(client, "x", 1) == 1);
  const int upstream_peer = listener.accept_peer();
  REQUIRE(upstream_peer > 0);
  // The byte arrived, so the proxy had registered the connection before.
  REQUIRE(listener.read_byte());
  const auto peer = static_cast<std::uint16_t>(upstream_peer);
  CHECK(routes.worker_of_upstream(peer, port) == "work-3");
  CHECK_FALSE(routes.worker_of_upstream(peer, static_cast<std::uint16_t>(port + 1)));
  CHECK_FALSE(routes.worker_of_upstream(static_cast<std::uint16_t>(peer + 1), port));
  ::close(client);
  routes.release("work-3");
  CHECK_FALSE(routes.worker_of_upstream(peer, port));
}

TEST_CASE("a latency proxy forgets an upstream connection once it closes",
          "[connection_owners][latency]") {
  Listener listener;
  const auto port = static_cast<std::uint16_t>(listener.port());
  LatencyProxy proxy("127.0.0.1", port);
  const int client = connect_to(proxy.port());
  REQUIRE(::write(client, "x", 1) == 1);
  const int upstream_peer = listener.accept_peer();
  REQUIRE(upstream_peer > 0);
  REQUIRE(listener.read_byte());
  const auto peer = static_cast<std::uint16_t>(upstream_peer);
  CHECK(proxy.forwards_from(peer, port));
  ::close(client);
  listener.close_last();
  REQUIRE(wait_until([&] { return proxy.open_connections() == 0; }));
  CHECK_FALSE(proxy.forwards_from(peer, port));
}

}  // namespace loveless::stacks::test
