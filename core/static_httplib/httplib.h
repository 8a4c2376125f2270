// A minimal, header-only stand-in for the part of cpp-httplib's client that
// loveless::aws and loveless::worker use, for statically linked binaries only
// (container images FROM scratch). Debian ships cpp-httplib as a shared
// library whose header holds declarations only, so a -static link cannot use
// it; targets built through loveless_httplib_static_client find this header
// as <httplib.h> instead. Every other target keeps the real cpp-httplib.
//
// Deliberate limits, fine for workers talking to an engine on the host network:
//   - plain HTTP to a numeric IPv4 address or `localhost` (no DNS: a static
//     glibc binary would need NSS modules at run time, which FROM scratch lacks);
//   - one connection per request (`Connection: close`): set_keep_alive and
//     set_tcp_nodelay are accepted and ignored;
//   - response bodies with Content-Length, chunked, or ending at close.
#pragma once

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace httplib {

using Headers = std::multimap<std::string, std::string>;

enum class Error { Success = 0, Unknown, Connection, Read, Write };

inline std::string to_string(Error error) {
  switch (error) {
    case Error::Success:
      return "Success (no error)";
    case Error::Connection:
      return "Could not establish connection";
    case Error::Read:
      return "Failed to read connection";
    case Error::Write:
      return "Failed to write connection";
    case Error::Unknown:
      break;
  }
  return "Unknown";
}

struct Response {
  int status = -1;
  Headers headers;
  std::string body;

  /// The first header named `key` (case-insensitive), empty when absent.
  [[nodiscard]] std::string get_header_value(const std::string& key) const {
    for (const auto& [name, value] : headers) {
      if (name.size() != key.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < name.size() && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(name[i])) ==
               std::tolower(static_cast<unsigned char>(key[i]));
      }
      if (same) return value;
    }
    return {};
  }
};

class Result {
 public:
  explicit Result(Response response) : response_(std::move(response)) {}
  explicit Result(Error error) : error_(error) {}
  explicit operator bool() const { return response_.has_value(); }
  [[nodiscard]] const Response& value() const { return *response_; }
  const Response* operator->() const { return &*response_; }
  const Response& operator*() const { return *response_; }
  [[nodiscard]] Error error() const { return error_; }

 private:
  std::optional<Response> response_;
  Error error_ = Error::Success;
};

namespace detail {

/// Closes the socket when the request is done, however it ends.
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

inline timeval to_timeval(std::chrono::microseconds timeout) {
  timeval value{};
  value.tv_sec = static_cast<decltype(value.tv_sec)>(timeout.count() / 1000000);
  value.tv_usec = static_cast<decltype(value.tv_usec)>(timeout.count() % 1000000);
  return value;
}

/// Connects with a deadline: on Linux SO_SNDTIMEO also bounds a blocking connect.
inline bool connect_with_timeout(int fd, const sockaddr_in& address,
                                 std::chrono::microseconds timeout) {
  const timeval send_timeout = to_timeval(timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  return ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

/// Decodes a chunked body; nullopt when it is malformed or cut short.
inline std::optional<std::string> decode_chunked(const std::string& raw) {
  std::string body;
  std::size_t at = 0;
  while (true) {
    const auto line_end = raw.find("\r\n", at);
    if (line_end == std::string::npos) return std::nullopt;
    const auto size = std::strtoul(raw.substr(at, line_end - at).c_str(), nullptr, 16);
    at = line_end + 2;
    if (size == 0) return body;
    if (raw.size() < at + size + 2) return std::nullopt;
    body.append(raw, at, size);
    at += size + 2;
  }
}

}  // namespace detail

class Client {
 public:
  /// `http://host:port` (or `host:port`); host a numeric IPv4 address or `localhost`.
  explicit Client(const std::string& scheme_host_port) {
    std::string rest = scheme_host_port;
    if (const auto scheme = rest.find("://"); scheme != std::string::npos)
      rest.erase(0, scheme + 3);
    if (const auto slash = rest.find('/'); slash != std::string::npos) rest.erase(slash);
    std::string port = "80";
    if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
      port = rest.substr(colon + 1);
      rest.erase(colon);
    }
    host_ = rest;
    if (rest == "localhost") rest = "127.0.0.1";
    address_.sin_family = AF_INET;
    address_.sin_port = htons(static_cast<std::uint16_t>(std::strtoul(port.c_str(), nullptr, 10)));
    valid_ = ::inet_pton(AF_INET, rest.c_str(), &address_.sin_addr) == 1;
    host_header_ = host_ + ":" + port;
  }

  void set_keep_alive(bool /*on*/) {}
  void set_tcp_nodelay(bool /*on*/) {}
  template <class Rep, class Period>
  void set_connection_timeout(std::chrono::duration<Rep, Period> timeout) {
    connection_timeout_ = std::chrono::duration_cast<std::chrono::microseconds>(timeout);
  }
  template <class Rep, class Period>
  void set_read_timeout(std::chrono::duration<Rep, Period> timeout) {
    read_timeout_ = std::chrono::duration_cast<std::chrono::microseconds>(timeout);
  }
  template <class Rep, class Period>
  void set_write_timeout(std::chrono::duration<Rep, Period> timeout) {
    write_timeout_ = std::chrono::duration_cast<std::chrono::microseconds>(timeout);
  }

  Result Get(const std::string& path) { return send("GET", path, {}, nullptr, {}); }
  Result Post(const std::string& path, const Headers& headers, const std::string& body,
              const std::string& content_type) {
    return send("POST", path, headers, &body, content_type);
  }

 private:
  Result send(const char* method, const std::string& path, const Headers& headers,
              const std::string* body, const std::string& content_type) {
    if (!valid_) return Result(Error::Connection);
    detail::Socket socket;
    if (socket.fd() < 0 ||
        !detail::connect_with_timeout(socket.fd(), address_, connection_timeout_)) {
      return Result(Error::Connection);
    }
    const timeval read_timeout = detail::to_timeval(read_timeout_);
    const timeval write_timeout = detail::to_timeval(write_timeout_);
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &read_timeout, sizeof read_timeout);
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &write_timeout, sizeof write_timeout);

    std::string request = std::string(method) + " " + path + " HTTP/1.1\r\nHost: " + host_header_ +
                          "\r\nConnection: close\r\nAccept: */*\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    if (body != nullptr) {
      request += "Content-Type: " + content_type +
                 "\r\nContent-Length: " + std::to_string(body->size()) + "\r\n";
    }
    request += "\r\n";
    if (body != nullptr) request += *body;
    for (std::size_t sent = 0; sent < request.size();) {
      const auto n =
          ::send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Result(Error::Write);
      sent += static_cast<std::size_t>(n);
    }

    // Connection: close, so the response ends where the stream does.
    std::string raw;
    char buffer[16384];
    while (true) {
      const auto n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Result(Error::Read);
      if (n == 0) break;
      raw.append(buffer, static_cast<std::size_t>(n));
    }
    return parse(raw);
  }

  static Result parse(const std::string& raw) {
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || raw.compare(0, 5, "HTTP/") != 0)
      return Result(Error::Read);
    Response response;
    const auto status_at = raw.find(' ');
    if (status_at == std::string::npos || status_at > head_end) return Result(Error::Read);
    response.status = std::atoi(raw.c_str() + status_at + 1);
    for (auto at = raw.find("\r\n") + 2; at < head_end + 2;) {
      const auto line_end = raw.find("\r\n", at);
      const auto colon = raw.find(':', at);
      if (colon != std::string::npos && colon < line_end) {
        auto value_at = raw.find_first_not_of(' ', colon + 1);
        if (value_at > line_end) value_at = line_end;
        response.headers.emplace(raw.substr(at, colon - at),
                                 raw.substr(value_at, line_end - value_at));
      }
      at = line_end + 2;
    }
    std::string rest = raw.substr(head_end + 4);
    const auto encoding = response.get_header_value("Transfer-Encoding");
    if (encoding.find("chunked") != std::string::npos) {
      auto decoded = detail::decode_chunked(rest);
      if (!decoded) return Result(Error::Read);
      response.body = std::move(*decoded);
    } else if (const auto length = response.get_header_value("Content-Length"); !length.empty()) {
      const auto size = std::strtoul(length.c_str(), nullptr, 10);
      if (rest.size() < size) return Result(Error::Read);
      response.body = rest.substr(0, size);
    } else {
      response.body = std::move(rest);
    }
    return Result(std::move(response));
  }

  sockaddr_in address_{};
  bool valid_ = false;
  std::string host_;
  std::string host_header_;
  std::chrono::microseconds connection_timeout_{std::chrono::seconds(300)};
  std::chrono::microseconds read_timeout_{std::chrono::seconds(5)};
  std::chrono::microseconds write_timeout_{std::chrono::seconds(5)};
};

}  // namespace httplib
