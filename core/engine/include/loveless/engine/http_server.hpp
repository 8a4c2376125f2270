#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "loveless/engine/service.hpp"

namespace loveless::engine {

/// Transport settings of `HttpServer`.
struct HttpServerOptions {
  /// The most connections served at once: each (a GetActivityTask long poll,
  /// an idle keep-alive connection) holds a thread, started when none is idle
  /// and ended after 30 s without work. Past this many, connections wait.
  std::size_t threads = 4096;
  /// Larger request bodies are refused with HTTP 413
  /// `{"__type": "RequestEntityTooLargeException"}` before they are parsed.
  std::size_t max_request_bytes = 1U << 20U;
  /// How long an idle keep-alive connection is kept open.
  std::chrono::seconds keep_alive_timeout{5};
};

/// Serves a StepFunctionsService over the awsJson1_0 protocol: `POST /` with
/// `X-Amz-Target: AWSStepFunctions.<Operation>`; responses carry
/// `Content-Type: application/x-amz-json-1.0`; errors are HTTP 400 with
/// `{"__type", "message"}`. Signed requests (SigV4 `Authorization`) are accepted
/// without verifying the signature.
///
/// Thread-safety: `start` and `stop` from one controlling thread.
class HttpServer {
 public:
  explicit HttpServer(StepFunctionsService& service, HttpServerOptions options = {});
  ~HttpServer();  // stops the server
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds `host:port` (port 0 picks an ephemeral port) and serves on background
  /// threads. Returns the bound port. Throws `std::runtime_error` when the
  /// address cannot be bound, naming it.
  int start(const std::string& host, int port);
  /// Stops accepting, wakes long polls, joins the threads. Idempotent.
  void stop();
  /// `http://<host>:<port>` once started.
  [[nodiscard]] std::string url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::engine
