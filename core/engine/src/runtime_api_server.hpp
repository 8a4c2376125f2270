#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace loveless::engine {

/// What a Runtime API call answers.
struct RuntimeApiReply {
  int status = 200;
  /// JSON text.
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// The side of one execution environment that decides what the Runtime API
/// answers. Each method is called on one of the server's handler threads and
/// may block (`next` does until there is work).
class RuntimeApiHandler {
 public:
  virtual ~RuntimeApiHandler() = default;
  /// `GET /2018-06-01/runtime/invocation/next`.
  virtual RuntimeApiReply next() = 0;
  /// `POST /2018-06-01/runtime/invocation/{id}/response`; `body` is the payload as sent.
  virtual RuntimeApiReply response(const std::string& request_id, std::string body) = 0;
  /// `POST /2018-06-01/runtime/invocation/{id}/error`; `error_type` is the
  /// `Lambda-Runtime-Function-Error-Type` header (may be empty).
  virtual RuntimeApiReply error(const std::string& request_id, std::string body,
                                const std::string& error_type) = 0;
  /// `POST /2018-06-01/runtime/init/error`.
  virtual RuntimeApiReply init_error(std::string body, const std::string& error_type) = 0;
};

/// The Lambda Runtime API endpoint of one execution environment
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on
/// 127.0.0.1 and an ephemeral port, with a small pool of handler threads (one
/// is held by a blocked `/next`).
///
/// Thread-safety: `start` once, then `stop` from any thread but a handler thread
/// of this server (it joins them); the handler must have released blocked
/// `/next` calls first.
class RuntimeApiServer {
 public:
  explicit RuntimeApiServer(RuntimeApiHandler& handler);
  ~RuntimeApiServer();  // calls stop()
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  /// Binds and starts serving; returns `127.0.0.1:<port>` (AWS_LAMBDA_RUNTIME_API).
  /// Throws `std::runtime_error` when no port can be bound.
  std::string start();
  /// Stops serving and joins every thread. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::engine
