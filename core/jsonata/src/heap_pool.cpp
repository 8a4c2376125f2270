#include "heap_pool.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <memory>
#include <thread>
#include <utility>

#include "loveless/digest/digest.hpp"

namespace loveless::jsonata::detail {

HeapPool& HeapPool::instance() {
  // Leaked, like its threads, which wait for jobs until the process exits:
  // destroying contexts at exit would race the threads' last use of them.
  static auto* pool = [] {
    auto* made = new HeapPool;
    // OpenSSL ($hash) registers its own atexit cleanup when first used: used
    // here first, it is registered before ours and so runs after it, once the
    // evaluator threads have ended and freed their OpenSSL thread state.
    static_cast<void>(loveless::digest::digest_hex("SHA-256", ""));
    // Ours runs before the static destructors of libmozjs (loaded before main),
    // which must find no context left and no SpiderMonkey thread busy.
    std::atexit([] { instance().stop(); });
    return made;
  }();
  return *pool;
}

void HeapPool::stop() {
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    work_.notify_all();
    // A thread still evaluating (exit called while other threads evaluate)
    // ends within its time bound.
    stopped_.wait_for(lock, limits_.time + std::chrono::seconds(1), [&] { return threads_ == 0; });
    if (threads_ != 0) return;
    for (Pending* pending : pending_) {
      pending->answer.set_exception(std::make_exception_ptr(
          EvaluationError("L0003", "JSONata evaluator failure: the process is exiting", -1)));
    }
    pending_.clear();
  }
  shut_down_engine();
}

// Twice the hardware threads, at least 4: an expression may run for its
// whole time bound (10 s), and with one thread per core two such
// evaluations (two executions looping over one) held every thread, so that
// CreateStateMachine, ValidateStateMachineDefinition and TestState of any
// JSONata waited up to 20 s. Threads start only when a job finds none free;
// each context is bounded by Limits::memory_bytes.
HeapPool::HeapPool()
    : max_threads_(std::max<std::size_t>(4, 2 * std::thread::hardware_concurrency())) {}

std::string HeapPool::run(Job job) {
  Pending pending{std::move(job), {}};
  std::future<std::string> answer = pending.answer.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      throw EvaluationError("L0003", "JSONata evaluator failure: the process is exiting", -1);
    }
    pending_.push_back(&pending);
    if (pending_.size() > waiting_ && threads_ < max_threads_) {
      ++threads_;
      std::thread([this] { serve(); }).detach();
    }
  }
  work_.notify_one();
  return answer.get();
}

void HeapPool::serve() {
  std::unique_ptr<Heap> heap;
  std::uint64_t heap_generation = 0;
  while (true) {
    Pending* pending = nullptr;
    std::uint64_t generation = 0;
    Limits limits;
    {
      std::unique_lock lock(mutex_);
      ++waiting_;
      work_.wait(lock, [&] { return !pending_.empty() || stopping_; });
      --waiting_;
      if (stopping_) {
        // The heap is destroyed on this thread, its own, before the count
        // drops.
        lock.unlock();
        heap.reset();
        lock.lock();
        --threads_;
        stopped_.notify_all();
        return;
      }
      pending = pending_.front();
      pending_.pop_front();
      generation = generation_;
      limits = limits_;
    }
    try {
      if (heap && (!heap->usable() || heap_generation != generation)) heap.reset();
      if (!heap) {
        heap = std::make_unique<Heap>(limits);
        heap_generation = generation;
      }
      pending->answer.set_value(pending->job(*heap, limits));
    } catch (...) {
      pending->answer.set_exception(std::current_exception());
    }
    // A heap that hit a bound is freed now; the next job makes a new one.
    if (heap && !heap->usable()) heap.reset();
  }
}

void HeapPool::set_limits(const Limits& limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
  ++generation_;
}

Limits HeapPool::limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

}  // namespace loveless::jsonata::detail
