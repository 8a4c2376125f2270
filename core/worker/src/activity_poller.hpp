#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "loveless/aws/json_client.hpp"

namespace loveless::worker {

/// Long-polls GetActivityTask on a detached thread with its own client, one
/// task per `request()`, so the caller stays free to react to SIGTERM: a
/// long poll may block for 60 s and a client cannot be interrupted.
///
/// Empty answers (`{}`: no task within the long poll) are polled again, and
/// failed calls are retried with capped backoff, inside the thread. Once the
/// poller is destroyed the thread ends after its call in flight; a task that
/// call still brings is failed at once with `Worker.Terminated` so it does not
/// wait for its timeout.
///
/// Thread-safety: one owning thread calls `request` and `wait_for`.
class ActivityPoller {
 public:
  ActivityPoller(aws::JsonClientOptions client_options, std::string activity_arn,
                 std::string worker_name);
  ~ActivityPoller();  // abandons the thread, never waits for it
  ActivityPoller(const ActivityPoller&) = delete;
  ActivityPoller& operator=(const ActivityPoller&) = delete;

  /// Starts polling for one task (a no-op while one is already wanted).
  void request();
  /// The GetActivityTask answer (`taskToken`, `input`) once a task arrived
  /// within `timeout`, else nullopt.
  [[nodiscard]] std::optional<nlohmann::json> wait_for(std::chrono::milliseconds timeout);

  /// Shared with the polling thread; an implementation detail.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace loveless::worker
