// loveless::aws::HttpClient against a cpp-httplib server on an ephemeral
// loopback port: keep-alive reuse, reconnection after the server closed the
// connection, timeouts and transport failures.
#include "loveless/aws/http_client.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "client_test_helpers.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using loveless::aws::HttpClient;
using loveless::aws::HttpError;
using loveless::aws::testing::http_error;
using namespace std::chrono_literals;

namespace {

constexpr auto kTimeout = std::chrono::milliseconds(5'000);

/// A cpp-httplib server on 127.0.0.1:<ephemeral> whose answers say which
/// client port (so which connection) asked.
class TestServer {
 public:
  explicit TestServer(const std::function<void(httplib::Server&)>& configure = {}) {
    server_.Get("/port", [](const httplib::Request& request, httplib::Response& response) {
      response.set_content(std::to_string(request.remote_port), "text/plain");
    });
    server_.Post("/echo", [](const httplib::Request& request, httplib::Response& response) {
      response.set_header("X-Content-Type-Seen", request.get_header_value("Content-Type"));
      response.set_content(request.body, "application/octet-stream");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& response) {
      std::this_thread::sleep_for(500ms);
      response.set_content("late", "text/plain");
    });
    server_.Get("/missing", [](const httplib::Request&, httplib::Response& response) {
      response.status = 404;
      response.set_content("no such thing", "text/plain");
    });
    if (configure) configure(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // cpp-httplib ignores a stop() that comes before its accept loop runs.
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

/// A loopback port that was free a moment ago and has no listener.
int closed_port() {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&address), length) == 0);
  REQUIRE(::getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(sock);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("HttpClient posts a body and reads status, headers and body", "[http-client]") {
  TestServer server;
  HttpClient client(server.endpoint(), kTimeout);
  const auto response =
      client.post("/echo", {{"Content-Type", "application/json"}}, R"({"a": 1})", kTimeout);
  CHECK(response.status == 200);
  CHECK(response.body == R"({"a": 1})");
  CHECK(response.header("x-content-type-seen") == "application/json");
  CHECK(response.header("X-Not-There").empty());

  const auto missing = client.get("/missing", {}, kTimeout);
  CHECK(missing.status == 404);
  CHECK(missing.body == "no such thing");
}

TEST_CASE("HttpClient reads bodies above Beast's default 8 MB limit", "[http-client]") {
  TestServer server;
  HttpClient client(server.endpoint(), kTimeout);
  const std::string big(9 * 1024 * 1024, 'x');
  const auto response = client.post("/echo", {{"Content-Type", "text/plain"}}, big, kTimeout);
  CHECK(response.status == 200);
  CHECK(response.body.size() == big.size());
}

TEST_CASE("HttpClient keeps one connection for successive requests", "[http-client]") {
  TestServer server;
  HttpClient client(server.endpoint(), kTimeout);
  const auto first = client.get("/port", {}, kTimeout).body;
  CHECK(client.get("/port", {}, kTimeout).body == first);
  CHECK(client.get("/port", {}, kTimeout).body == first);
}

TEST_CASE("HttpClient reconnects after the server closed the kept connection", "[http-client]") {
  SECTION("closed while idle (keep-alive timeout): the request goes out again unnoticed") {
    TestServer server([](httplib::Server& s) { s.set_keep_alive_timeout(1); });
    HttpClient client(server.endpoint(), kTimeout);
    const auto first = client.get("/port", {}, kTimeout).body;
    std::this_thread::sleep_for(1500ms);
    const auto second = client.get("/port", {}, kTimeout);
    CHECK(second.status == 200);
    CHECK(second.body != first);
  }
  SECTION("closed with the answer (Connection: close after the last allowed request)") {
    TestServer server([](httplib::Server& s) { s.set_keep_alive_max_count(2); });
    HttpClient client(server.endpoint(), kTimeout);
    const auto first = client.get("/port", {}, kTimeout).body;
    CHECK(client.get("/port", {}, kTimeout).body == first);
    const auto third = client.get("/port", {}, kTimeout).body;
    CHECK(third != first);
  }
}

TEST_CASE("HttpClient gives up after the request's timeout and recovers", "[http-client]") {
  TestServer server;
  HttpClient client(server.endpoint(), kTimeout);
  const auto started = std::chrono::steady_clock::now();
  const auto error = http_error([&] { client.get("/slow", {}, 100ms); });
  CHECK(error.kind() == HttpError::Kind::kTimeout);
  CHECK(std::chrono::steady_clock::now() - started < 450ms);
  // The timed-out connection is gone; the next request gets a new one.
  CHECK(client.get("/slow", {}, kTimeout).body == "late");
}

TEST_CASE("HttpClient reports transport failures as HttpError", "[http-client]") {
  SECTION("connection refused") {
    HttpClient client("http://127.0.0.1:" + std::to_string(closed_port()), 1s);
    CHECK(http_error([&] { client.get("/", {}, kTimeout); }).kind() == HttpError::Kind::kConnect);
  }
  SECTION("an endpoint it cannot use fails each request, never the constructor") {
    for (const char* endpoint : {"https://127.0.0.1:1", "http://127.0.0.1:1/path", "http://:80",
                                 "127.0.0.1:99999", "http://[::1"}) {
      INFO(endpoint);
      HttpClient client(endpoint, 1s);
      CHECK(http_error([&] { client.get("/", {}, kTimeout); }).kind() == HttpError::Kind::kConnect);
    }
  }
  SECTION("the server closes the connection without answering") {
    // A listener that accepts one connection and closes it at once, so
    // nothing comes back on a fresh connection.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), length) == 0);
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    REQUIRE(::listen(listener, 4) == 0);
    std::atomic<int> connections{0};
    std::thread acceptor([&] {
      const int connection = ::accept(listener, nullptr, nullptr);
      if (connection >= 0) {
        ++connections;
        ::close(connection);
      }
    });
    HttpClient client("127.0.0.1:" + std::to_string(ntohs(address.sin_port)), 1s);
    CHECK(http_error([&] { client.get("/", {}, kTimeout); }).kind() == HttpError::Kind::kTransfer);
    acceptor.join();
    ::close(listener);
    // A fresh connection that broke is not retried: the server may have seen
    // the request.
    CHECK(connections == 1);
  }
}

TEST_CASE("HttpClient accepts host:port and resolves host names", "[http-client]") {
  TestServer server;
  HttpClient bare("127.0.0.1:" + std::to_string(server.port()), kTimeout);
  CHECK(bare.get("/port", {}, kTimeout).status == 200);
  HttpClient named("http://localhost:" + std::to_string(server.port()) + "/", kTimeout);
  CHECK(named.get("/port", {}, kTimeout).status == 200);
}
