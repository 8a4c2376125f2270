#pragma once

// The evaluator threads: at most max(4, 2 x hardware threads), started when a job
// finds none free, each owning one Heap (a SpiderMonkey context belongs to
// the thread that made it). Callers hand a job to a free thread and wait.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>

#include "loveless/jsonata/evaluator.hpp"

#include "heap.hpp"

namespace loveless::jsonata::detail {

/// Thread-safe.
class HeapPool {
 public:
  /// What a job does with its thread's heap and the limits in force.
  using Job = std::function<std::string(Heap& heap, const Limits& limits)>;

  static HeapPool& instance();

  /// Runs `job` on an evaluator thread and returns what it returns, or
  /// rethrows what it throws (also the EvaluationError of a heap that could
  /// not be made). Waits while every thread is busy.
  std::string run(Job job);

  void set_limits(const Limits& limits);
  Limits limits() const;

 private:
  struct Pending {
    Job job;
    std::promise<std::string> answer;
  };

  HeapPool();
  void serve();
  // At exit: ends the threads (each destroys its heap) and SpiderMonkey.
  void stop();

  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::deque<Pending*> pending_;
  std::size_t threads_ = 0;
  std::size_t waiting_ = 0;
  std::size_t max_threads_;
  bool stopping_ = false;
  std::condition_variable stopped_;
  // Bumped by set_limits: a thread remakes its heap made under older limits.
  std::uint64_t generation_ = 0;
  Limits limits_;
};

}  // namespace loveless::jsonata::detail
