#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loveless::aws {

/// Header fields in order, as name and value.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// A complete HTTP response, whatever its status.
struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  /// The value of the first field named `name` (compared case-insensitively),
  /// empty when there is none.
  [[nodiscard]] std::string header(std::string_view name) const;
};

/// No complete response came back. The message says what failed
/// (`connect: Connection refused`) without the endpoint; callers add it.
class HttpError : public std::runtime_error {
 public:
  enum class Kind {
    kConnect,   ///< unusable endpoint, unknown host, or no connection within the connect timeout
    kTimeout,   ///< connected, but the response did not end within the request's timeout
    kTransfer,  ///< the connection broke, or the answer was not HTTP/1.x
  };
  HttpError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

/// How an `https://` endpoint's certificate is checked.
struct TlsOptions {
  /// A PEM file of CA certificates trusted instead of the system store
  /// (Debian: /etc/ssl/certs); empty: the system store. AWS_CA_BUNDLE is read
  /// by the callers (`ServiceClient`), not here.
  std::string ca_file;
};

/// A synchronous HTTP/1.1 client of one endpoint over one keep-alive
/// connection, built on Boost.Beast: the transport of `JsonClient`,
/// `ServiceClient` and of the worker SDK's Lambda Runtime API client.
/// `http://` as before; `https://` through OpenSSL with SNI, and the peer's
/// certificate chain and host name (or IP address) verified.
///
/// The connection opens on the first request, stays open while the server
/// keeps it (an answer with `Connection: close` closes it) and reopens on the
/// next request. A request on a kept connection that fails before any byte of
/// the answer arrived (the server closed the idle connection as the request
/// went out) is sent once more on a new connection, as the AWS SDKs retry it;
/// a timeout is never retried. A numeric address is used as is; a host name
/// is resolved with getaddrinfo (in a static binary, glibc's built-in `files`
/// and `dns` lookups only: docs/stacks.md "Images").
///
/// Thread-safety: one request at a time; give each thread its own client.
class HttpClient {
 public:
  /// `endpoint` is `http://host:port`, `http://host` (port 80) or `host:port`
  /// (the Runtime API's AWS_LAMBDA_RUNTIME_API); a trailing `/` is allowed and
  /// IPv6 addresses go in brackets. Never throws: an endpoint it cannot use
  /// (another scheme, a path, a bad port) makes every request fail with
  /// `kConnect`, as an unreachable one does, so a misconfigured worker logs
  /// and retries instead of dying. `connect_timeout` bounds each connection
  /// attempt (name resolution excepted).
  HttpClient(std::string endpoint, std::chrono::milliseconds connect_timeout);
  /// As above with `tls` for `https://host[:port]` endpoints (port 443 by
  /// default; the first constructor verifies against the system store). The
  /// TLS handshake is part of connecting (bounded by `connect_timeout`),
  /// and a certificate that does not verify fails the request with `kConnect`
  /// and a message naming the reason and the CA source.
  HttpClient(std::string endpoint, std::chrono::milliseconds connect_timeout, TlsOptions tls);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  /// `GET target`. `timeout` bounds the exchange, from sending the request to
  /// the end of the response. Throws `HttpError`.
  HttpResponse get(std::string_view target, const HttpHeaders& headers,
                   std::chrono::milliseconds timeout);
  /// `POST target` with `body`; `headers` should name the Content-Type, the
  /// client adds Host and Content-Length. `timeout` as for `get`. Throws
  /// `HttpError`.
  HttpResponse post(std::string_view target, const HttpHeaders& headers, std::string body,
                    std::chrono::milliseconds timeout);

  /// `method` ("GET", "PUT", "DELETE", ...) on `target`, with `body` (a
  /// Content-Length is sent when it is not empty, or for POST/PUT). `timeout`
  /// as for `get`. Throws `HttpError`.
  HttpResponse request(std::string_view method, std::string_view target, const HttpHeaders& headers,
                       std::string body, std::chrono::milliseconds timeout);

  /// The endpoint as given.
  [[nodiscard]] const std::string& endpoint() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::aws
