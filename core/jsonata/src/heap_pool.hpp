#pragma once

// The heaps evaluations borrow: at most max(2, hardware threads), created
// when a thread finds none idle, each used by one thread at a time.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "loveless/jsonata/evaluator.hpp"

#include "heap.hpp"

namespace loveless::jsonata::detail {

/// Thread-safe.
class HeapPool {
 public:
  /// A heap checked out for one evaluation; back to the pool when destroyed,
  /// or discarded when it is no longer usable() or the limits changed.
  class Lease {
   public:
    Lease(HeapPool& pool, std::unique_ptr<Heap> heap, std::uint64_t generation, Limits limits)
        : pool_(pool), heap_(std::move(heap)), generation_(generation), limits_(limits) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Heap& heap() { return *heap_; }
    /// The limits the heap was made under (its time bound applies to calls).
    const Limits& limits() const { return limits_; }

   private:
    HeapPool& pool_;
    std::unique_ptr<Heap> heap_;
    std::uint64_t generation_;
    Limits limits_;
  };

  static HeapPool& instance();

  /// Waits while every heap is lent. Throws EvaluationError when a new heap
  /// cannot be made (Heap::Heap).
  Lease acquire();

  void set_limits(const Limits& limits);
  Limits limits() const;

 private:
  HeapPool();
  void give_back(std::unique_ptr<Heap> heap, std::uint64_t generation);

  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Heap>> idle_;
  std::size_t lent_or_idle_ = 0;
  std::size_t max_heaps_;
  // Bumped by set_limits: heaps of an older generation are not reused.
  std::uint64_t generation_ = 0;
  Limits limits_;
};

}  // namespace loveless::jsonata::detail
