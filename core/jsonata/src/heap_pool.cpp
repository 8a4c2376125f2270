#include "heap_pool.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace loveless::jsonata::detail {

HeapPool& HeapPool::instance() {
  static HeapPool pool;
  return pool;
}

HeapPool::HeapPool() : max_heaps_(std::max<std::size_t>(2, std::thread::hardware_concurrency())) {}

HeapPool::Lease HeapPool::acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || lent_or_idle_ < max_heaps_; });
  const std::uint64_t generation = generation_;
  const Limits limits = limits_;
  if (!idle_.empty()) {
    std::unique_ptr<Heap> heap = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(heap), generation, limits);
  }
  // Made outside the lock: loading jsonata takes about 25 ms.
  ++lent_or_idle_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Heap>(limits), generation, limits);
  } catch (...) {
    lock.lock();
    --lent_or_idle_;
    returned_.notify_one();
    throw;
  }
}

void HeapPool::give_back(std::unique_ptr<Heap> heap, std::uint64_t generation) {
  std::unique_ptr<Heap> discarded;
  {
    std::lock_guard lock(mutex_);
    if (heap->usable() && generation == generation_) {
      idle_.push_back(std::move(heap));
    } else {
      discarded = std::move(heap);
      --lent_or_idle_;
    }
  }
  returned_.notify_one();
  // `discarded` is destroyed here, outside the lock.
}

HeapPool::Lease::~Lease() { pool_.give_back(std::move(heap_), generation_); }

void HeapPool::set_limits(const Limits& limits) {
  std::vector<std::unique_ptr<Heap>> discarded;
  std::lock_guard lock(mutex_);
  limits_ = limits;
  ++generation_;
  lent_or_idle_ -= idle_.size();
  discarded.swap(idle_);
  returned_.notify_all();
}

Limits HeapPool::limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

}  // namespace loveless::jsonata::detail
