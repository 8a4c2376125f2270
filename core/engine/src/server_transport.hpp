#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include <httplib.h>

namespace loveless::engine {

/// The transport every engine server (the Step Functions API, the local
/// Lambda Runtime API) runs on cpp-httplib:
/// - connections are served by an `ElasticThreadPool` of up to `max_threads`,
///   so long polls and idle keep-alive connections cannot starve other calls;
/// - the listening socket has SO_REUSEADDR only (httplib's default adds
///   SO_REUSEPORT, which would let a second server bind a port already
///   serving) and is close-on-exec, so worker processes do not inherit it;
/// - TCP_NODELAY.
/// `listen_socket` receives the listening socket once the server binds, for
/// `raise_listen_backlog`.
void configure_transport(httplib::Server& server, std::size_t max_threads,
                         std::atomic<int>& listen_socket);

/// cpp-httplib 0.11 listens with a backlog of 5, which refuses connections
/// when a few dozen clients connect at once (a scenario's workers starting
/// together). Listening again on the bound socket raises it to SOMAXCONN.
void raise_listen_backlog(const std::atomic<int>& listen_socket);

enum class BodyRead : std::uint8_t {
  kComplete,  ///< `body` holds the whole body
  kTooLarge,  ///< past `max_bytes`: answer 413 with `Connection: close`
  kBroken,    ///< the client stopped sending or sent a malformed chunk
};

/// Reads the body of `request` through `reader`, whatever its transfer
/// encoding: cpp-httplib checks its payload limit only against a
/// Content-Length, never a chunked body, and not at all for a handler that
/// reads through a ContentReader. Stops as soon as the body passes
/// `max_bytes`, leaving the rest unread.
BodyRead read_body(const httplib::Request& request, const httplib::ContentReader& reader,
                   std::size_t max_bytes, std::string& body);

}  // namespace loveless::engine
