#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loveless/stacks/worker.hpp"

namespace loveless::stacks {

/// The inode of the client end of the established loopback TCP connection
/// from local port `client_port` to port `server_port`, as `/proc/net/tcp`
/// and `/proc/net/tcp6` of this process's network namespace list it (the
/// namespace a `--network host` container shares); nullopt when there is none.
std::optional<std::uint64_t> client_socket_inode(int client_port, int server_port);

/// True when the loopback connection from `client_port` to `server_port` is
/// there but its client has closed it: the server's end waits in CLOSE_WAIT,
/// or the client's end is closing (FIN_WAIT1/2, CLOSING, LAST_ACK, TIME_WAIT).
bool client_has_closed(int client_port, int server_port);

/// The processes holding a descriptor of socket `inode` (`socket:[inode]` in
/// `/proc/<pid>/fd`), this process excluded; processes this one may not look
/// at are skipped. Scans /proc: about a millisecond per hundred processes.
std::vector<int> socket_holders(std::uint64_t inode);

/// Tells which fleet worker made a call the orchestrator received on a
/// loopback connection, whatever `workerName` the call names: an activity
/// worker written against an AWS SDK polls with its own name (`hostname-pid`),
/// but it is a process the fleet started. The connection's client socket
/// (`client_socket_inode`) is held by a process (`socket_holders`), which is
/// one worker's (`Worker::owns_process`: its process group, its container's
/// cgroup). When the caller is a per-worker `LatencyProxy` in this process,
/// `routes` names the worker the proxy forwards for instead.
///
/// An owner found is cached per connection (client port and server port)
/// together with the socket's inode, and used again only while the same
/// socket is there: a port reused by a new connection has a new inode. A
/// connection nobody owns is looked up again on every call.
///
/// Thread-safety: `worker_of` may be called from any thread concurrently.
class ConnectionOwners {
 public:
  /// The workers a connection may belong to (the live activity workers).
  using Candidates = std::function<std::vector<std::shared_ptr<Worker>>()>;
  /// The worker whose proxy has an open upstream connection from
  /// `client_port` to `server_port`, or nullopt (`LatencyRoutes::worker_of_upstream`).
  using Routes = std::function<std::optional<std::string>(int client_port, int server_port)>;

  explicit ConnectionOwners(Candidates candidates, Routes routes = {});

  /// The id of the worker that owns the client end of the connection from
  /// loopback port `client_port` to `server_port`; "" when the connection is
  /// gone or no candidate owns it (a process the fleet did not start, or one
  /// that left its worker's process group).
  std::string worker_of(int client_port, int server_port);

 private:
  struct Owner {
    std::uint64_t inode = 0;
    std::string worker;
  };

  const Candidates candidates_;
  const Routes routes_;
  std::mutex mutex_;
  std::map<std::pair<int, int>, Owner> cache_;
};

}  // namespace loveless::stacks
