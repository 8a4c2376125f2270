#include "runtime_api_server.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "listener_thread.hpp"
#include "server_transport.hpp"

namespace loveless::engine {
namespace {

constexpr const char* kJson = "application/json";
// Lambda caps a synchronous response payload at 6 MB.
constexpr std::size_t kMaxPayloadBytes = 6 * 1024 * 1024;
// A blocked /next holds one thread; others serve the response or error posts
// of a runtime that uses several connections (threads start as needed).
constexpr std::size_t kHandlerThreads = 16;

void send(httplib::Response& response, const RuntimeApiReply& reply) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  response.set_content(reply.body, kJson);
}

/// Reads a post's body; false when it was refused, with `response` set: 413
/// past Lambda's payload limit, 400 when it ended early.
bool read_whole_body(const httplib::Request& request, const httplib::ContentReader& reader,
                     std::string& body, httplib::Response& response) {
  const auto read = read_body(request, reader, kMaxPayloadBytes, body);
  if (read == BodyRead::kComplete) return true;
  const bool too_large = read == BodyRead::kTooLarge;
  response.status = too_large ? 413 : 400;
  response.set_header("Connection", "close");
  const nlohmann::json error = {
      {"errorType", too_large ? "RequestEntityTooLarge" : "InvalidRequest"},
      {"errorMessage", too_large
                           ? "The payload exceeds " + std::to_string(kMaxPayloadBytes) + " bytes"
                           : std::string("The payload ended early")}};
  response.set_content(error.dump(), kJson);
  return false;
}

}  // namespace

struct RuntimeApiServer::Impl {
  explicit Impl(RuntimeApiHandler& handler_ref) : handler(handler_ref) {}

  RuntimeApiHandler& handler;
  httplib::Server server;
  std::thread listener;
  std::atomic<int> listen_socket{-1};
  std::mutex mutex;
  bool started = false;
};

RuntimeApiServer::RuntimeApiServer(RuntimeApiHandler& handler)
    : impl_(std::make_unique<Impl>(handler)) {}

RuntimeApiServer::~RuntimeApiServer() { stop(); }

std::string RuntimeApiServer::start() {
  auto& impl = *impl_;
  std::lock_guard lock(impl.mutex);
  if (impl.started) throw std::logic_error("RuntimeApiServer::start called twice");
  auto& server = impl.server;
  auto& handler = impl.handler;
  configure_transport(server, kHandlerThreads, impl.listen_socket);
  // Idle keep-alive connections hold handler threads; a short timeout lets
  // `stop` join them quickly.
  server.set_keep_alive_timeout(1);
  server.set_payload_max_length(kMaxPayloadBytes);
  server.Get("/2018-06-01/runtime/invocation/next",
             [&handler](const httplib::Request& request, httplib::Response& response) {
               // Lambda's Runtime API ignores Range: no copy of the event per range.
               const_cast<httplib::Request&>(request)
                   .ranges.clear();  // NOLINT(cppcoreguidelines-pro-type-const-cast)
               send(response, handler.next());
             });
  // Bodies are read through a content reader: a chunked one has no length
  // for cpp-httplib's own limit to check.
  server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/response)",
              [&handler](const httplib::Request& request, httplib::Response& response,
                         const httplib::ContentReader& reader) {
                std::string body;
                if (!read_whole_body(request, reader, body, response)) return;
                send(response, handler.response(request.matches[1], body));
              });
  server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/error)",
              [&handler](const httplib::Request& request, httplib::Response& response,
                         const httplib::ContentReader& reader) {
                std::string body;
                if (!read_whole_body(request, reader, body, response)) return;
                send(response,
                     handler.error(request.matches[1], body,
                                   request.get_header_value("Lambda-Runtime-Function-Error-Type")));
              });
  server.Post("/2018-06-01/runtime/init/error", [&handler](const httplib::Request& request,
                                                           httplib::Response& response,
                                                           const httplib::ContentReader& reader) {
    std::string body;
    if (!read_whole_body(request, reader, body, response)) return;
    send(response,
         handler.init_error(body, request.get_header_value("Lambda-Runtime-Function-Error-Type")));
  });
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (response.get_header_value("Content-Type") == kJson) return;
    spdlog::debug("runtime API {} {} -> {}", request.method, request.path, response.status);
    const nlohmann::json body = {{"errorType", "InvalidRequest"},
                                 {"errorMessage", "Unknown Runtime API resource or method"}};
    response.set_content(body.dump(), kJson);
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) throw std::runtime_error("cannot bind a Runtime API port on 127.0.0.1");
  raise_listen_backlog(impl.listen_socket);
  impl.started = true;
  impl.listener = start_listener_thread(server);
  return "127.0.0.1:" + std::to_string(port);
}

void RuntimeApiServer::stop() {
  auto& impl = *impl_;
  std::lock_guard lock(impl.mutex);
  if (!impl.started) return;
  impl.started = false;
  impl.server.stop();
  if (impl.listener.joinable()) impl.listener.join();
}

}  // namespace loveless::engine
