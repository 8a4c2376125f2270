#include "loveless/aws/http_client.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace loveless::aws {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

beast::string_view beast_view(std::string_view text) { return {text.data(), text.size()}; }
std::string to_string(beast::string_view text) { return {text.data(), text.size()}; }

// Where requests go, parsed once from the endpoint text.
struct Target {
  std::string host;  // without the brackets of an IPv6 address
  std::uint16_t port = 80;
  std::string host_field;  // the Host header: host[:port] as written
  std::string problem;     // why the endpoint cannot be used; empty when it can
};

Target parse_endpoint(std::string_view text) {
  Target target;
  constexpr std::string_view kScheme = "http://";
  if (text.starts_with(kScheme)) {
    text.remove_prefix(kScheme.size());
  } else if (text.find("://") != std::string_view::npos) {
    target.problem = "only http:// endpoints are supported";
    return target;
  }
  if (text.ends_with('/')) text.remove_suffix(1);
  target.host_field = std::string(text);
  std::string_view host = text;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      target.problem = "no ']' after the IPv6 address";
      return target;
    }
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) {
      target.problem = "unexpected text after the IPv6 address";
      return target;
    }
    if (!rest.empty()) port = rest.substr(1);
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of("/?#@") != std::string_view::npos) {
    target.problem = "no host, or a path, in the endpoint";
    return target;
  }
  target.host = std::string(host);
  if (!port.empty()) {
    const auto* const end = port.data() + port.size();
    const auto [rest, error] = std::from_chars(port.data(), end, target.port);
    if (error != std::errc() || rest != end || target.port == 0) {
      target.problem = "bad port '" + std::string(port) + "'";
    }
  }
  return target;
}

std::string milliseconds_text(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + " ms";
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  const auto found = std::find_if(headers.begin(), headers.end(), [&](const auto& field) {
    return beast::iequals(beast_view(field.first), beast_view(name));
  });
  return found == headers.end() ? std::string() : found->second;
}

struct HttpClient::Impl {
  Impl(std::string endpoint_text, std::chrono::milliseconds timeout)
      : endpoint(std::move(endpoint_text)),
        target(parse_endpoint(endpoint)),
        connect_timeout(timeout) {}

  // Runs one asynchronous operation on the stream to its end. Beast's
  // synchronous calls have no timeouts; its asynchronous ones close the stream
  // once the expiry set with expires_after passes.
  template <class Start>
  error_code run(Start&& start) {
    error_code result = asio::error::would_block;
    std::forward<Start>(start)([&result](error_code error, auto&&...) { result = error; });
    io.restart();
    io.run();
    return result;
  }

  void disconnect() {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    connected = false;
  }

  void connect() {
    if (!target.problem.empty()) throw HttpError(HttpError::Kind::kConnect, target.problem);
    std::vector<tcp::endpoint> addresses;
    error_code error;
    // A numeric address (the fleets' endpoints) needs no name service, which
    // a static binary in an image FROM scratch has only in part.
    const auto address = asio::ip::make_address(target.host, error);
    if (!error) {
      addresses.emplace_back(address, target.port);
    } else {
      tcp::resolver resolver(io);
      const auto results = resolver.resolve(target.host, std::to_string(target.port), error);
      if (error) {
        throw HttpError(HttpError::Kind::kConnect,
                        "resolve '" + target.host + "': " + error.message());
      }
      for (const auto& entry : results) addresses.push_back(entry.endpoint());
    }
    stream.expires_after(connect_timeout);
    error = run([&](auto handler) { stream.async_connect(addresses, std::move(handler)); });
    if (error) {
      disconnect();
      throw HttpError(HttpError::Kind::kConnect,
                      error == beast::error::timeout
                          ? "connect: no connection within " + milliseconds_text(connect_timeout)
                          : "connect: " + error.message());
    }
    // Requests are small and answered at once; Nagle would only delay them.
    stream.socket().set_option(tcp::no_delay(true), error);
    connected = true;
  }

  HttpResponse exchange(const http::request<http::string_body>& request,
                        std::chrono::milliseconds timeout) {
    for (int attempt = 1;; ++attempt) {
      const bool reused = connected;
      if (!connected) connect();
      // One expiry for the whole exchange: it covers the write and the read.
      stream.expires_after(timeout);
      http::response_parser<http::string_body> parser;
      // Answers are as large as the service makes them (execution histories,
      // 6 MB Lambda payloads); Beast's default limit is 8 MB. (Boost 1.74
      // compares a Content-Length with an empty optional as larger, so "no
      // limit" has to be the largest number.)
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      const char* phase = "write";
      error_code error =
          run([&](auto handler) { http::async_write(stream, request, std::move(handler)); });
      if (!error) {
        phase = "read";
        error = run(
            [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
      }
      if (!error) {
        auto& message = parser.get();
        HttpResponse response;
        response.status = static_cast<int>(message.result_int());
        for (const auto& field : message) {
          response.headers.emplace_back(to_string(field.name_string()), to_string(field.value()));
        }
        response.body = std::move(message.body());
        if (!message.keep_alive()) disconnect();
        return response;
      }
      const bool nothing_came_back = !parser.got_some();
      disconnect();
      if (error == beast::error::timeout) {
        throw HttpError(HttpError::Kind::kTimeout,
                        "no complete response within " + milliseconds_text(timeout));
      }
      // The server closed the kept connection while it was idle, just as the
      // request went out: it never saw the request.
      if (reused && nothing_came_back && attempt == 1) continue;
      throw HttpError(HttpError::Kind::kTransfer, std::string(phase) + ": " + error.message());
    }
  }

  http::request<http::string_body> make_request(http::verb verb, std::string_view path,
                                                const HttpHeaders& headers,
                                                std::string body) const {
    http::request<http::string_body> request{verb, beast_view(path), 11};
    request.set(http::field::host, target.host_field);
    request.set(http::field::user_agent, "loveless");
    for (const auto& [name, value] : headers) request.set(beast_view(name), value);
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
  }

  std::string endpoint;
  Target target;
  std::chrono::milliseconds connect_timeout;
  asio::io_context io{1};
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool connected = false;
};

HttpClient::HttpClient(std::string endpoint, std::chrono::milliseconds connect_timeout)
    : impl_(std::make_unique<Impl>(std::move(endpoint), connect_timeout)) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::get(std::string_view target, const HttpHeaders& headers,
                             std::chrono::milliseconds timeout) {
  return impl_->exchange(impl_->make_request(http::verb::get, target, headers, {}), timeout);
}

HttpResponse HttpClient::post(std::string_view target, const HttpHeaders& headers, std::string body,
                              std::chrono::milliseconds timeout) {
  return impl_->exchange(impl_->make_request(http::verb::post, target, headers, std::move(body)),
                         timeout);
}

const std::string& HttpClient::endpoint() const noexcept { return impl_->endpoint; }

}  // namespace loveless::aws
