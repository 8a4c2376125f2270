#include "loveless/aws/http_client.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

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
  bool tls = false;
};

Target parse_endpoint(std::string_view text) {
  Target target;
  constexpr std::string_view kScheme = "http://";
  constexpr std::string_view kTlsScheme = "https://";
  if (text.starts_with(kScheme)) {
    text.remove_prefix(kScheme.size());
  } else if (text.starts_with(kTlsScheme)) {
    text.remove_prefix(kTlsScheme.size());
    target.tls = true;
    target.port = 443;
  } else if (text.find("://") != std::string_view::npos) {
    target.problem = "only http:// and https:// endpoints are supported";
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

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// What a failed handshake means to the user: OpenSSL's verification result
// when the certificate was the problem, and where the trusted CAs came from.
std::string handshake_problem(const error_code& error, TlsStream* stream,
                              const std::string& ca_file) {
  std::string text = "TLS handshake: " + error.message();
  if (stream != nullptr) {
    const long result = SSL_get_verify_result(stream->native_handle());
    if (result != X509_V_OK) {
      text = "TLS handshake: the server's certificate did not verify (" +
             std::string(X509_verify_cert_error_string(result)) + ")";
    }
  }
  text += ca_file.empty()
              ? "; trusted CAs: the system store (/etc/ssl/certs); set AWS_CA_BUNDLE to a PEM "
                "file to trust another CA"
              : "; trusted CAs: " + ca_file;
  return text;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  const auto found = std::find_if(headers.begin(), headers.end(), [&](const auto& field) {
    return beast::iequals(beast_view(field.first), beast_view(name));
  });
  return found == headers.end() ? std::string() : found->second;
}

struct HttpClient::Impl {
  Impl(std::string endpoint_text, std::chrono::milliseconds timeout, TlsOptions tls_options)
      : endpoint(std::move(endpoint_text)),
        target(parse_endpoint(endpoint)),
        connect_timeout(timeout),
        tls(std::move(tls_options)) {
    if (target.tls && target.problem.empty()) make_tls_context();
  }

  // Peer verification against the system store (Debian: /etc/ssl/certs,
  // OpenSSL's default paths) or the given CA file, as the AWS SDKs verify.
  void make_tls_context() {
    tls_context.emplace(asio::ssl::context::tls_client);
    tls_context->set_options(asio::ssl::context::default_workarounds |
                             asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3);
    error_code error;
    if (tls.ca_file.empty()) {
      tls_context->set_default_verify_paths(error);
    } else {
      tls_context->load_verify_file(tls.ca_file, error);
    }
    if (error) {
      target.problem =
          tls.ca_file.empty()
              ? "the system CA store could not be loaded: " + error.message()
              : "the CA bundle '" + tls.ca_file + "' could not be read: " + error.message();
    }
    tls_context->set_verify_mode(asio::ssl::verify_peer);
  }

  beast::tcp_stream& tcp() { return tls_stream ? beast::get_lowest_layer(*tls_stream) : stream; }

  // Calls `operation` with the stream requests go through.
  template <class Operation>
  error_code on_stream(Operation&& operation) {
    if (tls_stream) return std::forward<Operation>(operation)(*tls_stream);
    return std::forward<Operation>(operation)(stream);
  }

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

  // A TLS connection is closed without close_notify: waiting for the
  // server's answer to it could block, and nothing more is read from it.
  void disconnect() {
    error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().close();
    tls_stream.reset();
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
    if (target.tls) tls_stream.emplace(io, *tls_context);
    tcp().expires_after(connect_timeout);
    error = run([&](auto handler) { tcp().async_connect(addresses, std::move(handler)); });
    if (error) {
      disconnect();
      throw HttpError(HttpError::Kind::kConnect,
                      error == beast::error::timeout
                          ? "connect: no connection within " + milliseconds_text(connect_timeout)
                          : "connect: " + error.message());
    }
    // Requests are small and answered at once; Nagle would only delay them.
    tcp().socket().set_option(tcp::no_delay(true), error);
    if (tls_stream) handshake();
    connected = true;
  }

  // SNI with a host name (not with an address, RFC 6066), and the
  // certificate checked against the host name or IP address.
  void handshake() {
    SSL* ssl = tls_stream->native_handle();
    error_code error;
    const auto address = asio::ip::make_address(target.host, error);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (error) {
      // SSL_set_tlsext_host_name, without the macro's C cast.
      SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(target.host.c_str()));
      X509_VERIFY_PARAM_set1_host(param, target.host.c_str(), target.host.size());
    } else {
      X509_VERIFY_PARAM_set1_ip_asc(param, address.to_string().c_str());
    }
    tcp().expires_after(connect_timeout);
    error = run([&](auto handler) {
      tls_stream->async_handshake(asio::ssl::stream_base::client, std::move(handler));
    });
    if (error) {
      const auto message =
          error == beast::error::timeout
              ? "TLS handshake: not done within " + milliseconds_text(connect_timeout)
              : handshake_problem(error, &*tls_stream, tls.ca_file);
      disconnect();
      throw HttpError(HttpError::Kind::kConnect, message);
    }
  }

  HttpResponse exchange(const http::request<http::string_body>& request,
                        std::chrono::milliseconds timeout) {
    for (int attempt = 1;; ++attempt) {
      const bool reused = connected;
      if (!connected) connect();
      // One expiry for the whole exchange: it covers the write and the read.
      tcp().expires_after(timeout);
      http::response_parser<http::string_body> parser;
      // Answers are as large as the service makes them (execution histories,
      // 6 MB Lambda payloads); Beast's default limit is 8 MB. (Boost 1.74
      // compares a Content-Length with an empty optional as larger, so "no
      // limit" has to be the largest number.)
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      const char* phase = "write";
      error_code error = on_stream([&](auto& s) {
        return run([&](auto handler) { http::async_write(s, request, std::move(handler)); });
      });
      if (!error) {
        phase = "read";
        error = on_stream([&](auto& s) {
          return run(
              [&](auto handler) { http::async_read(s, buffer, parser, std::move(handler)); });
        });
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
    const bool has_body = !body.empty();
    request.body() = std::move(body);
    request.prepare_payload();
    // Beast sends no Content-Length for an empty PUT or DELETE body; some
    // servers (AWS's among them) want "0" for PUT.
    if (!has_body && (verb == http::verb::put || verb == http::verb::post)) {
      request.set(http::field::content_length, "0");
    }
    return request;
  }

  std::string endpoint;
  Target target;
  std::chrono::milliseconds connect_timeout;
  TlsOptions tls;
  asio::io_context io{1};
  beast::tcp_stream stream{io};  // plain http
  std::optional<asio::ssl::context> tls_context;
  std::optional<TlsStream> tls_stream;  // https: one per connection
  beast::flat_buffer buffer;
  bool connected = false;
};

HttpClient::HttpClient(std::string endpoint, std::chrono::milliseconds connect_timeout)
    : HttpClient(std::move(endpoint), connect_timeout, TlsOptions{}) {}
HttpClient::HttpClient(std::string endpoint, std::chrono::milliseconds connect_timeout,
                       TlsOptions tls)
    : impl_(std::make_unique<Impl>(std::move(endpoint), connect_timeout, std::move(tls))) {}
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

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 const HttpHeaders& headers, std::string body,
                                 std::chrono::milliseconds timeout) {
  const auto verb = http::string_to_verb(beast_view(method));
  if (verb == http::verb::unknown) {
    throw HttpError(HttpError::Kind::kConnect, "unknown HTTP method '" + std::string(method) + "'");
  }
  return impl_->exchange(impl_->make_request(verb, target, headers, std::move(body)), timeout);
}

const std::string& HttpClient::endpoint() const noexcept { return impl_->endpoint; }

}  // namespace loveless::aws
