#include "heartbeat_thread.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "backoff.hpp"
#include "worker_log.hpp"

namespace loveless::worker {

struct HeartbeatThread::State {
  std::mutex mutex;
  std::condition_variable wake;
  bool stopped = false;
  bool beat_requested = false;
  std::atomic<bool> lost{false};
};

void HeartbeatThread::run(const std::shared_ptr<State>& state,
                          aws::JsonClientOptions client_options, const std::string& task_token,
                          std::chrono::milliseconds interval) {
  aws::JsonClient client(std::move(client_options));
  const nlohmann::json request = {{"taskToken", task_token}};
  while (true) {
    {
      std::unique_lock lock(state->mutex);
      state->wake.wait_for(lock, interval, [&] { return state->stopped || state->beat_requested; });
      if (state->stopped) return;
      state->beat_requested = false;
    }
    try {
      client.call("SendTaskHeartbeat", request);
    } catch (const aws::AwsError& e) {
      if (is_task_gone(e)) {
        log_line("task lost (" + std::string(e.what()) + "); its result will not be reported");
        state->lost.store(true);
        return;
      }
      log_line("SendTaskHeartbeat failed, trying again next beat: " + std::string(e.what()));
    }
  }
}

HeartbeatThread::HeartbeatThread(aws::JsonClientOptions client_options, std::string task_token,
                                 std::chrono::milliseconds interval)
    : state_(std::make_shared<State>()) {
  thread_ = std::thread([state = state_, options = std::move(client_options),
                         token = std::move(task_token),
                         interval]() mutable { run(state, std::move(options), token, interval); });
}

HeartbeatThread::~HeartbeatThread() { stop(); }

std::function<void()> HeartbeatThread::beat_now_function() const {
  // The handler (or a thread it started) may outlive this object; the shared
  // state keeps the call safe and makes it a no-op once stopped.
  return [state = state_] {
    {
      const std::lock_guard lock(state->mutex);
      if (state->stopped) return;
      state->beat_requested = true;
    }
    state->wake.notify_one();
  };
}

std::function<bool()> HeartbeatThread::lost_function() const {
  return [state = state_] { return state->lost.load(); };
}

bool HeartbeatThread::lost() const { return state_->lost.load(); }

void HeartbeatThread::stop() {
  {
    const std::lock_guard lock(state_->mutex);
    state_->stopped = true;
  }
  state_->wake.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace loveless::worker
