#include "loveless/engine/http_server.hpp"

#include <atomic>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "loveless/asl/json_document.hpp"

#include "listener_thread.hpp"
#include "server_transport.hpp"

namespace loveless::engine {
namespace {

constexpr const char* kContentType = "application/x-amz-json-1.0";
constexpr std::string_view kTargetPrefix = "AWSStepFunctions.";

/// JSON text of a response. Strings may hold invalid UTF-8 (an unknown
/// operation's name as the client sent it, a byte-level intrinsic's result in
/// a history): it is written as U+FFFD rather than failing the response.
std::string response_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string error_body(std::string_view type, std::string_view message) {
  return response_text(nlohmann::json{{"__type", type}, {"message", message}});
}

}  // namespace

struct HttpServer::Impl {
  Impl(StepFunctionsService& service_ref, HttpServerOptions server_options)
      : service(service_ref), options(server_options) {}

  /// Serves one request whose body (`body`, at most `max_request_bytes`) was read.
  void handle(const httplib::Request& request, const std::string& body,
              httplib::Response& response);
  /// Gives the request its id, reads the body through `reader` whatever its
  /// transfer encoding (`read_body`), then handles it; a body past
  /// `max_request_bytes` is answered with 413 and the connection closed.
  void receive(const httplib::Request& request, httplib::Response& response,
               const httplib::ContentReader& reader);
  void respond_too_large(httplib::Response& response);
  void respond_error(httplib::Response& response, int status, std::string_view type,
                     std::string_view message);

  StepFunctionsService& service;
  HttpServerOptions options;
  httplib::Server server;
  std::thread listener;
  std::atomic<int> listen_socket{-1};
  std::string host;
  int port = 0;
  bool started = false;
  std::atomic<std::uint64_t> next_request_id{1};
};

void HttpServer::Impl::respond_error(httplib::Response& response, int status, std::string_view type,
                                     std::string_view message) {
  response.status = status;
  response.set_header("x-amzn-ErrorType", std::string(type));
  response.set_content(error_body(type, message), kContentType);
}

void HttpServer::Impl::respond_too_large(httplib::Response& response) {
  respond_error(response, 413, "RequestEntityTooLargeException",
                "Request body exceeds " + std::to_string(options.max_request_bytes) + " bytes");
}

void HttpServer::Impl::receive(const httplib::Request& request, httplib::Response& response,
                               const httplib::ContentReader& reader) {
  response.set_header("x-amzn-RequestId", std::to_string(next_request_id.fetch_add(1)));
  // AWS's JSON API ignores Range; httplib would answer every range asked for
  // with its own copy of the body (an 8 KB header made a 700 MB answer). The
  // request is httplib's own object, const only in this handler's signature.
  const_cast<httplib::Request&>(request)
      .ranges.clear();  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  std::string body;
  switch (read_body(request, reader, options.max_request_bytes, body)) {
    case BodyRead::kComplete:
      handle(request, body, response);
      return;
    case BodyRead::kTooLarge:
      response.set_header("Connection", "close");
      respond_too_large(response);
      return;
    case BodyRead::kBroken:
      response.set_header("Connection", "close");
      respond_error(response, 400, "SerializationException",
                    "The request body ended early or its chunks were malformed");
      return;
  }
}

void HttpServer::Impl::handle(const httplib::Request& request, const std::string& request_body,
                              httplib::Response& response) {
  const auto target = request.get_header_value("X-Amz-Target");
  std::string_view operation = target;
  if (operation.substr(0, kTargetPrefix.size()) != kTargetPrefix) {
    spdlog::debug("POST {} target '{}': unknown operation", request.path, target);
    respond_error(
        response, 400, "UnknownOperationException",
        target.empty() ? "Missing X-Amz-Target header" : "Unknown operation: '" + target + "'");
    return;
  }
  operation.remove_prefix(kTargetPrefix.size());
  try {
    nlohmann::json body = nlohmann::json::object();
    if (!request_body.empty()) {
      try {
        body = asl::parse_json_document(request_body);
      } catch (const asl::JsonDocumentError& e) {
        throw ServiceError("SerializationException",
                           std::string("The request body is not valid JSON: ") + e.what());
      }
    }
    // Older cpp-httplib releases leave local_port unset; the server has one port.
    const CallerAddress caller{request.remote_addr, request.remote_port,
                               request.local_port > 0 ? request.local_port : port};
    const auto result = service.invoke(operation, body, caller);
    response.status = 200;
    response.set_content(response_text(result), kContentType);
    spdlog::debug("{} -> 200", operation);
  } catch (const ServiceError& e) {
    spdlog::debug("{} -> {} {}: {}", operation, e.type() == "ServiceUnavailable" ? 503 : 400,
                  e.type(), e.message());
    // AWS answers its server-side faults with a 5xx, which SDKs retry;
    // every other error is the caller's, a 400.
    respond_error(response, e.type() == "ServiceUnavailable" ? 503 : 400, e.type(), e.message());
  } catch (const std::exception& e) {
    // A library's own text (nlohmann's "[json.exception...]") means nothing
    // to a client and names our internals: it goes to the log only.
    const auto request_id = response.get_header_value("x-amzn-RequestId");
    spdlog::error("{} (request {}) failed: {}", operation, request_id, e.what());
    respond_error(
        response, 500, "InternalFailure",
        "The local engine failed to handle request " + request_id + "; its log has the reason");
  }
}

HttpServer::HttpServer(StepFunctionsService& service, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(service, options)) {}

HttpServer::~HttpServer() { stop(); }

int HttpServer::start(const std::string& host, int port) {
  auto& impl = *impl_;
  if (impl.started) throw std::logic_error("HttpServer::start called twice");
  auto& server = impl.server;
  configure_transport(server, impl.options.threads, impl.listen_socket);
  server.set_keep_alive_max_count(1'000'000);
  server.set_keep_alive_timeout(impl.options.keep_alive_timeout.count());
  server.set_payload_max_length(impl.options.max_request_bytes);
  server.Post(".*", [&impl](const httplib::Request& request, httplib::Response& response,
                            const httplib::ContentReader& reader) {
    impl.receive(request, response, reader);
  });
  // Whatever httplib answers on its own (404 for other methods, 413 for an
  // oversized body) still gets the AWS error shape.
  server.set_error_handler([&impl](const httplib::Request& request, httplib::Response& response) {
    if (response.get_header_value("Content-Type") == kContentType) return;
    spdlog::debug("{} {} -> {}", request.method, request.path, response.status);
    if (response.status == 413) {
      impl.respond_too_large(response);
    } else {
      const int status = response.status;
      impl.respond_error(response, status, "UnknownOperationException",
                         "Only POST with an X-Amz-Target header is supported");
    }
  });

  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                             " (address in use or not available)");
  }
  raise_listen_backlog(impl.listen_socket);
  impl.host = host;
  impl.port = bound;
  impl.started = true;
  impl.listener = start_listener_thread(server);
  spdlog::debug("Step Functions engine serving on {}", url());
  return bound;
}

void HttpServer::stop() {
  auto& impl = *impl_;
  if (!impl.started) return;
  impl.started = false;
  // Long polls hold worker threads; they must return before the pool can join.
  impl.service.shutdown();
  impl.server.stop();
  if (impl.listener.joinable()) impl.listener.join();
}

std::string HttpServer::url() const {
  return "http://" + impl_->host + ":" + std::to_string(impl_->port);
}

}  // namespace loveless::engine
