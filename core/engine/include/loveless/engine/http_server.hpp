#pragma once

#include <memory>
#include <string>

#include "loveless/engine/service.hpp"

namespace loveless::engine {

/// Serves a StepFunctionsService over the awsJson1_0 protocol: `POST /` with
/// `X-Amz-Target: AWSStepFunctions.<Operation>`; responses carry
/// `Content-Type: application/x-amz-json-1.0`; errors are HTTP 400 with
/// `{"__type", "message"}`. Signed requests (SigV4 `Authorization`) are accepted
/// without verifying the signature.
///
/// Thread-safety: `start` and `stop` from one controlling thread.
class HttpServer {
 public:
  explicit HttpServer(StepFunctionsService& service);
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
