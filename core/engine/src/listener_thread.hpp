#pragma once

#include <chrono>
#include <stdexcept>
#include <thread>

#include <httplib.h>

namespace loveless::engine {

/// Runs `server.listen_after_bind()` (the socket is already bound) on a new
/// thread and returns once the accept loop runs. Returning earlier would let a
/// prompt `server.stop()` be ignored by cpp-httplib (it only stops a server
/// that is running), leaving the accept loop, and a join on it, forever.
/// Throws `std::runtime_error` if the loop has not started within 5 s.
inline std::thread start_listener_thread(httplib::Server& server) {
  std::thread listener([&server] { server.listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      server.stop();
      listener.detach();
      throw std::runtime_error("the HTTP server's accept loop did not start within 5 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return listener;
}

}  // namespace loveless::engine
