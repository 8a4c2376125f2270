#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "loveless/aws/json_client.hpp"

namespace loveless::worker {

/// Sends SendTaskHeartbeat for one activity task every `interval` (and at
/// once on `beat_now`) from its own thread with its own client, until
/// stopped. When Step Functions answers that the task is gone (TaskTimedOut
/// and the like) it records that (`lost`), logs, and stops heartbeating;
/// network errors are logged and the next beat tries again.
///
/// Thread-safety: construct and `stop` from one thread; `lost` and the
/// functions it hands out may be called from any thread, even after `stop`
/// and destruction.
class HeartbeatThread {
 public:
  HeartbeatThread(aws::JsonClientOptions client_options, std::string task_token,
                  std::chrono::milliseconds interval);
  ~HeartbeatThread();  // stops
  HeartbeatThread(const HeartbeatThread&) = delete;
  HeartbeatThread& operator=(const HeartbeatThread&) = delete;

  /// Asks for a heartbeat now without waiting for it; a no-op once stopped.
  [[nodiscard]] std::function<void()> beat_now_function() const;
  /// A probe of `lost()` that outlives this object.
  [[nodiscard]] std::function<bool()> lost_function() const;
  /// True once Step Functions said the task is gone.
  [[nodiscard]] bool lost() const;

  /// Stops and joins; waits for a heartbeat call in flight. Idempotent.
  void stop();

 private:
  struct State;
  static void run(const std::shared_ptr<State>& state, aws::JsonClientOptions client_options,
                  const std::string& task_token, std::chrono::milliseconds interval);

  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace loveless::worker
