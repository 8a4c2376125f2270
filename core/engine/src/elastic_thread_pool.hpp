#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

#include <httplib.h>

namespace loveless::engine {

/// cpp-httplib's task queue for the engine's servers: a thread per connection
/// being served, started when none is idle, up to `max_threads`; past that,
/// connections wait in order. A fixed pool (httplib's own) lets long-polling
/// GetActivityTask clients or idle keep-alive connections, which each hold a
/// thread for as long as they last, starve every other call; this one grows
/// with them instead. Threads idle for `idle_timeout` end, down to none.
///
/// Thread-safety: `enqueue` from any thread; `shutdown` once, after which
/// `enqueue` runs nothing. `shutdown` waits for every thread to end.
class ElasticThreadPool final : public httplib::TaskQueue {
 public:
  explicit ElasticThreadPool(std::size_t max_threads,
                             std::chrono::milliseconds idle_timeout = std::chrono::seconds(30));
  ~ElasticThreadPool() override;
  ElasticThreadPool(const ElasticThreadPool&) = delete;
  ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  /// Threads alive now (busy or idle); for tests and benchmarks.
  [[nodiscard]] std::size_t threads() const;

 private:
  void work();
  /// Joins threads that have ended (their ids are in `ended_`).
  void reap_locked(std::unique_lock<std::mutex>& lock);

  const std::size_t max_threads_;
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::list<std::thread> threads_;
  std::list<std::thread::id> ended_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace loveless::engine
