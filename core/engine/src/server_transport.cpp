#include "server_transport.hpp"

#include <cstdlib>

#include "elastic_thread_pool.hpp"
#include <fcntl.h>
#include <sys/socket.h>

namespace loveless::engine {

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
    if (length > max_bytes) return BodyRead::kTooLarge;
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
