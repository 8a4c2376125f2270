#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "loveless/engine/service.hpp"

namespace loveless::engine::testing {

/// The ARN of the function the in-thread environments serve in most tests.
inline constexpr const char* kEchoArn = "arn:aws:lambda:us-east-1:123456789012:function:echo";

/// What an in-thread environment does with one invocation.
struct FunctionAction {
  enum class Kind { kRespond, kError, kHang, kExit };
  Kind kind = Kind::kRespond;
  /// The response or error payload (JSON text).
  std::string body;
  /// Lambda-Runtime-Function-Error-Type for kError.
  std::string error_type;
  /// Time spent "working" before answering.
  std::chrono::milliseconds work{0};
};

/// One invocation as an environment saw it.
struct SeenInvocation {
  std::string environment;
  nlohmann::json event;
  std::map<std::string, std::string> headers;
};

/// Execution environments that are threads running a small Runtime API client
/// (the loop a Lambda runtime runs: next, then response or error). `behaviour`
/// decides each invocation's outcome from its event and the number of
/// invocations before it (across environments).
///
/// Destroy after the service: the service's shutdown releases blocked `/next`
/// calls, which ends the threads.
class InThreadFunction {
 public:
  using Behaviour = std::function<FunctionAction(const nlohmann::json& event, int previous)>;

  InThreadFunction(std::string name, Behaviour behaviour)
      : name_(std::move(name)), behaviour_(std::move(behaviour)) {}
  ~InThreadFunction() {
    stopping_ = true;
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    for (auto& thread : threads) thread.join();
  }
  InThreadFunction(const InThreadFunction&) = delete;
  InThreadFunction& operator=(const InThreadFunction&) = delete;

  /// The config to register; `service` receives environment_exited for kExit.
  LocalFunctionConfig config(StepFunctionsService& service,
                             std::chrono::milliseconds timeout = std::chrono::seconds(3),
                             int max_concurrency = 10) {
    service_ = &service;
    LocalFunctionConfig config;
    config.name = name_;
    config.timeout = timeout;
    config.max_concurrency = max_concurrency;
    config.launch_environment = [this](const std::string& runtime_api) {
      return launch(runtime_api);
    };
    config.reset_environment = [this](const std::string& id) {
      std::lock_guard lock(mutex_);
      resets_.push_back(id);
      killed_.insert(id);
    };
    return config;
  }

  [[nodiscard]] int launched() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(runtime_apis_.size());
  }
  [[nodiscard]] std::vector<std::string> resets() const {
    std::lock_guard lock(mutex_);
    return resets_;
  }
  [[nodiscard]] std::vector<SeenInvocation> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  [[nodiscard]] std::string runtime_api(const std::string& environment) const {
    std::lock_guard lock(mutex_);
    return runtime_apis_.at(environment);
  }

 private:
  std::string launch(const std::string& runtime_api) {
    std::lock_guard lock(mutex_);
    const auto id = name_ + "-" + std::to_string(runtime_apis_.size() + 1);
    runtime_apis_[id] = runtime_api;
    threads_.emplace_back([this, id, runtime_api] { run(id, runtime_api); });
    return id;
  }

  bool killed(const std::string& id) const {
    std::lock_guard lock(mutex_);
    return stopping_ || killed_.count(id) > 0;
  }

  void run(const std::string& id, const std::string& runtime_api) {
    httplib::Client client("http://" + runtime_api);
    client.set_read_timeout(60, 0);
    while (!stopping_) {
      auto next = client.Get("/2018-06-01/runtime/invocation/next");
      if (!next || next->status != 200) return;
      SeenInvocation invocation{id, nlohmann::json::parse(next->body), {}};
      for (const auto& [key, value] : next->headers) invocation.headers[key] = value;
      const auto request_id = next->get_header_value("Lambda-Runtime-Aws-Request-Id");
      FunctionAction action;
      {
        std::lock_guard lock(mutex_);
        action = behaviour_(invocation.event, static_cast<int>(seen_.size()));
        seen_.push_back(invocation);
      }
      std::this_thread::sleep_for(action.work);
      const auto base = "/2018-06-01/runtime/invocation/" + request_id;
      switch (action.kind) {
        case FunctionAction::Kind::kRespond:
          client.Post(base + "/response", action.body, "application/json");
          break;
        case FunctionAction::Kind::kError: {
          httplib::Headers headers;
          if (!action.error_type.empty()) {
            headers.emplace("Lambda-Runtime-Function-Error-Type", action.error_type);
          }
          client.Post(base + "/error", headers, action.body, "application/json");
          break;
        }
        case FunctionAction::Kind::kHang:
          while (!killed(id)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
          return;
        case FunctionAction::Kind::kExit:
          // The process "crashes": the fleet reports it.
          service_->environment_exited(id);
          return;
      }
    }
  }

  std::string name_;
  Behaviour behaviour_;
  StepFunctionsService* service_ = nullptr;
  mutable std::mutex mutex_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  std::map<std::string, std::string> runtime_apis_;
  std::vector<std::string> resets_;
  std::set<std::string> killed_;
  std::vector<SeenInvocation> seen_;
};

/// Answers every invocation with `{"echo": <event>}`.
inline FunctionAction echo(const nlohmann::json& event, int /*previous*/) {
  return {FunctionAction::Kind::kRespond, nlohmann::json{{"echo", event}}.dump(), "", {}};
}

}  // namespace loveless::engine::testing
