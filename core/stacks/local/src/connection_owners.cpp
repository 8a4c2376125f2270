#include "loveless/stacks/connection_owners.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

#include <unistd.h>

namespace loveless::stacks {
namespace {

/// `/proc/net/tcp`'s state of an established connection.
constexpr std::string_view kEstablished = "01";

/// The port of an address column (`0100007F:1F90`, hex).
std::optional<int> port_of(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  int port = 0;
  const auto* begin = address.data() + colon + 1;
  const auto* end = address.data() + address.size();
  const auto [last, error] = std::from_chars(begin, end, port, 16);
  if (error != std::errc() || last != end) return std::nullopt;
  return port;
}

/// Calls `row(local port, remote port, state, inode)` for each row of a
/// /proc/net/tcp table until it returns true; returns whether one did.
template <typename Row>
bool scan(const char* table, Row row) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot;
    std::string local;
    std::string remote;
    std::string state;
    std::string skipped;
    std::uint64_t inode = 0;
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    fields >> slot >> local >> remote >> state;
    for (int i = 0; i < 5; ++i) fields >> skipped;
    fields >> inode;
    if (!fields) continue;
    const auto local_port = port_of(local);
    const auto remote_port = port_of(remote);
    if (local_port && remote_port && row(*local_port, *remote_port, state, inode)) return true;
  }
  return false;
}

std::optional<std::uint64_t> find_in(const char* table, int client_port, int server_port) {
  std::optional<std::uint64_t> found;
  scan(table, [&](int local, int remote, const std::string& state, std::uint64_t inode) {
    if (state != kEstablished || inode == 0 || local != client_port || remote != server_port) {
      return false;
    }
    found = inode;
    return true;
  });
  return found;
}

}  // namespace

std::optional<std::uint64_t> client_socket_inode(int client_port, int server_port) {
  if (auto inode = find_in("/proc/net/tcp", client_port, server_port)) return inode;
  return find_in("/proc/net/tcp6", client_port, server_port);
}

bool client_has_closed(int client_port, int server_port) {
  // TCP states as /proc/net/tcp writes them (include/net/tcp_states.h).
  static const std::set<std::string, std::less<>> kClientClosing = {"04", "05", "06",
                                                                    "07", "09", "0B"};
  constexpr std::string_view kCloseWait = "08";
  const auto closed = [&](int local, int remote, const std::string& state, std::uint64_t) {
    return (local == server_port && remote == client_port && state == kCloseWait) ||
           (local == client_port && remote == server_port && kClientClosing.contains(state));
  };
  return scan("/proc/net/tcp", closed) || scan("/proc/net/tcp6", closed);
}

std::vector<int> socket_holders(std::uint64_t inode) {
  namespace fs = std::filesystem;
  const std::string wanted = "socket:[" + std::to_string(inode) + "]";
  const int self = static_cast<int>(::getpid());
  std::vector<int> holders;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    int pid = 0;
    const auto [last, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (error != std::errc() || last != name.data() + name.size() || pid == self) continue;
    std::error_code fd_ec;
    for (const auto& fd : fs::directory_iterator(entry.path() / "fd", fd_ec)) {
      std::error_code link_ec;
      const auto target = fs::read_symlink(fd.path(), link_ec);
      if (!link_ec && target.native() == wanted) {
        holders.push_back(pid);
        break;
      }
    }
  }
  return holders;
}

ConnectionOwners::ConnectionOwners(Candidates candidates, Routes routes)
    : candidates_(std::move(candidates)), routes_(std::move(routes)) {}

std::string ConnectionOwners::worker_of(int client_port, int server_port) {
  // A proxy registers its upstream connections before forwarding a byte.
  if (routes_) {
    if (auto worker = routes_(client_port, server_port)) return *worker;
  }
  const auto inode = client_socket_inode(client_port, server_port);
  if (!inode) return "";
  const auto key = std::make_pair(client_port, server_port);
  {
    const std::lock_guard lock(mutex_);
    if (const auto it = cache_.find(key); it != cache_.end() && it->second.inode == *inode) {
      return it->second.worker;
    }
  }
  std::string owner;
  const auto holders = socket_holders(*inode);
  const auto workers = candidates_ ? candidates_() : std::vector<std::shared_ptr<Worker>>{};
  for (const int pid : holders) {
    for (const auto& worker : workers) {
      if (worker->owns_process(pid)) {
        owner = worker->id();
        break;
      }
    }
    if (!owner.empty()) break;
  }
  // Not remembered when no one owns it: a worker that has only just started
  // may not be known as the owner of its process yet.
  if (owner.empty()) return owner;
  const std::lock_guard lock(mutex_);
  cache_[key] = Owner{*inode, owner};
  return owner;
}

}  // namespace loveless::stacks
