#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace loveless::worker::testing {

/// A scripted Lambda Runtime API: `/next` hands out queued events (blocking
/// until one is queued, as Lambda does) and every POST is recorded. For the
/// runtime loop's wire details; the engine's real Runtime API is tested in
/// lambda_engine_test.cpp.
class FakeRuntimeApi {
 public:
  struct Event {
    std::string request_id;
    std::int64_t deadline_ms;
    std::string body;
  };
  struct Post {
    std::string path;
    std::string body;
    std::string error_type;  // Lambda-Runtime-Function-Error-Type
  };

  FakeRuntimeApi() {
    server_.Get("/2018-06-01/runtime/invocation/next", [this](const httplib::Request&,
                                                              httplib::Response& response) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !events_.empty(); });
      if (stopping_) {
        response.status = 500;
        return;
      }
      const auto event = events_.front();
      events_.pop_front();
      response.set_header("Lambda-Runtime-Aws-Request-Id", event.request_id);
      response.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(event.deadline_ms));
      response.set_content(event.body, "application/json");
    });
    server_.Post(R"(/2018-06-01/runtime/(.*))", [this](const httplib::Request& request,
                                                       httplib::Response& response) {
      {
        const std::lock_guard lock(mutex_);
        posts_.push_back({request.path, request.body,
                          request.get_header_value("Lambda-Runtime-Function-Error-Type")});
      }
      changed_.notify_all();
      response.status = 202;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // The socket listens from bind on: early connections wait in its backlog.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeRuntimeApi() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    server_.stop();
    thread_.join();
  }
  FakeRuntimeApi(const FakeRuntimeApi&) = delete;
  FakeRuntimeApi& operator=(const FakeRuntimeApi&) = delete;

  /// `host:port`, the value of AWS_LAMBDA_RUNTIME_API.
  [[nodiscard]] std::string runtime_api() const { return "127.0.0.1:" + std::to_string(port_); }

  /// Queues an event whose deadline is `time_left` from now.
  void queue(std::string request_id, std::string body,
             std::chrono::milliseconds time_left = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
        (std::chrono::system_clock::now() + time_left).time_since_epoch());
    {
      const std::lock_guard lock(mutex_);
      events_.push_back({std::move(request_id), deadline.count(), std::move(body)});
    }
    changed_.notify_all();
  }

  [[nodiscard]] std::vector<Post> posts() const {
    const std::lock_guard lock(mutex_);
    return posts_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::deque<Event> events_;
  std::vector<Post> posts_;
};

}  // namespace loveless::worker::testing
