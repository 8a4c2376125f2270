#include "runtime_api_server.hpp"

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "listener_thread.hpp"
#include <sys/socket.h>

namespace loveless::engine {
namespace {

constexpr const char* kJson = "application/json";
// Lambda caps a synchronous response payload at 6 MB.
constexpr std::size_t kMaxPayloadBytes = 6 * 1024 * 1024;
// A blocked /next holds one thread; the others serve the response or error
// posts of a runtime that uses several connections.
constexpr std::size_t kHandlerThreads = 3;

void send(httplib::Response& response, const RuntimeApiReply& reply) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  response.set_content(reply.body, kJson);
}

}  // namespace

struct RuntimeApiServer::Impl {
  explicit Impl(RuntimeApiHandler& handler_ref) : handler(handler_ref) {}

  RuntimeApiHandler& handler;
  httplib::Server server;
  std::thread listener;
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
  server.new_task_queue = [] { return new httplib::ThreadPool(kHandlerThreads); };
  server.set_tcp_nodelay(true);
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Idle keep-alive connections hold handler threads; a short timeout lets
  // `stop` join them quickly.
  server.set_keep_alive_timeout(1);
  server.set_payload_max_length(kMaxPayloadBytes);
  server.Get("/2018-06-01/runtime/invocation/next",
             [&handler](const httplib::Request&, httplib::Response& response) {
               send(response, handler.next());
             });
  server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/response)",
              [&handler](const httplib::Request& request, httplib::Response& response) {
                send(response, handler.response(request.matches[1], request.body));
              });
  server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/error)",
              [&handler](const httplib::Request& request, httplib::Response& response) {
                send(response,
                     handler.error(request.matches[1], request.body,
                                   request.get_header_value("Lambda-Runtime-Function-Error-Type")));
              });
  server.Post("/2018-06-01/runtime/init/error", [&handler](const httplib::Request& request,
                                                           httplib::Response& response) {
    send(response, handler.init_error(request.body, request.get_header_value(
                                                        "Lambda-Runtime-Function-Error-Type")));
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
