#include "server_transport.hpp"

#include <cstdlib>

#include "elastic_thread_pool.hpp"
#include <fcntl.h>
#include <sys/socket.h>

namespace loveless::engine {
namespace {

/// How far past the limit a declared body is still read (and dropped).
constexpr std::uint64_t kDrainFactor = 16;

}  // namespace

void configure_transport(httplib::Server& server, std::size_t max_threads,
                         std::atomic<int>& listen_socket) {
  server.new_task_queue = [max_threads] { return new ElasticThreadPool(max_threads); };
  server.set_tcp_nodelay(true);
  server.set_socket_options([&listen_socket](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    fcntl(sock, F_SETFD, fcntl(sock, F_GETFD) | FD_CLOEXEC);
    listen_socket.store(sock);
  });
}

void raise_listen_backlog(const std::atomic<int>& listen_socket) {
  const int sock = listen_socket.load();
  // Linux takes a second listen() on a listening socket as a new backlog.
  if (sock >= 0) ::listen(sock, SOMAXCONN);
}

BodyRead read_body(const httplib::Request& request, const httplib::ContentReader& reader,
                   std::size_t max_bytes, std::string& body) {
  if (request.has_header("Content-Length")) {
    // A malformed length is cpp-httplib's to refuse; it reads as 0 here.
    const auto length =
        std::strtoull(request.get_header_value("Content-Length").c_str(), nullptr, 10);
    if (length > max_bytes) {
      // Read and dropped when it is not absurd, so that a client still
      // sending it reads the 413 instead of a reset connection (cpp-httplib's
      // own limit does the same).
      if (length <= kDrainFactor * max_bytes) {
        reader([](const char*, std::size_t) { return true; });
      }
      return BodyRead::kTooLarge;
    }
    body.reserve(static_cast<std::size_t>(length));
  }
  bool too_large = false;
  const bool read = reader([&](const char* data, std::size_t length) {
    if (body.size() + length > max_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (too_large) return BodyRead::kTooLarge;
  return read ? BodyRead::kComplete : BodyRead::kBroken;
}

}  // namespace loveless::engine
