#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

#include "loveless/asl/clock.hpp"

namespace loveless::engine {

/// One thread that runs callbacks when they are due, in due order (ties in
/// the order they were started). Used for the timers of every execution: Wait
/// states, Retry intervals, task and heartbeat timeouts.
///
/// Callbacks run on the timer thread without the service's lock held, so they
/// may take an execution's lock; they must not block for long, since they delay
/// every later timer.
///
/// Thread-safety: every method may be called from any thread, including from a
/// callback.
class TimerService {
 public:
  using Key = std::uint64_t;

  TimerService();
  ~TimerService();  // calls stop()
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  /// Schedules `callback` at `due` (system clock); returns a key for `cancel`.
  /// After `stop` the callback is dropped.
  Key start(asl::TimePoint due, std::function<void()> callback);
  /// The callback will not be run. No-op for a key that fired or is unknown.
  /// A callback already running is not interrupted.
  void cancel(Key key);
  /// Drops every pending timer and joins the thread. Idempotent.
  void stop();

  /// Timers that have not fired or been cancelled (for tests and metrics).
  [[nodiscard]] std::size_t pending() const;

 private:
  struct Entry {
    asl::TimePoint due;
    Key key;
    bool operator>(const Entry& other) const {
      return due != other.due ? due > other.due : key > other.key;
    }
  };

  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  // Cancelled keys are erased here and skipped lazily when they reach the top.
  std::unordered_map<Key, std::function<void()>> callbacks_;
  Key next_key_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace loveless::engine
