#pragma once
// A cpp-httplib server (http or https) on 127.0.0.1:<ephemeral> for the aws
// tests, started in the constructor and stopped in the destructor.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

namespace loveless::aws::testing {

class LoopbackServer {
 public:
  /// `configure` adds the routes. With `cert` and `key` (PEM files) it serves https.
  explicit LoopbackServer(const std::function<void(httplib::Server&)>& configure,
                          const std::string& cert = {}, const std::string& key = {}) {
    if (cert.empty()) {
      server_ = std::make_unique<httplib::Server>();
    } else {
      server_ = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
    }
    configure(*server_);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // cpp-httplib ignores a stop() that comes before its accept loop runs.
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server_->stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace loveless::aws::testing
