#include "elastic_thread_pool.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace loveless::engine {

ElasticThreadPool::ElasticThreadPool(std::size_t max_threads,
                                     std::chrono::milliseconds idle_timeout)
    : max_threads_(std::max<std::size_t>(max_threads, 1)), idle_timeout_(idle_timeout) {}

ElasticThreadPool::~ElasticThreadPool() { shutdown(); }

void ElasticThreadPool::enqueue(std::function<void()> fn) {
  std::unique_lock lock(mutex_);
  if (stopping_) return;
  reap_locked(lock);
  queue_.push_back(std::move(fn));
  // An idle thread takes it; otherwise a new one, while there is room.
  if (idle_ >= queue_.size()) {
    wake_.notify_one();
    return;
  }
  if (threads_.size() - ended_.size() < max_threads_) {
    threads_.emplace_back([this] { work(); });
  }
}

void ElasticThreadPool::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (queue_.empty()) {
      ++idle_;
      const bool woken =
          wake_.wait_for(lock, idle_timeout_, [this] { return stopping_ || !queue_.empty(); });
      --idle_;
      if (!woken || (stopping_ && queue_.empty())) break;
    }
    auto fn = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
  }
  ended_.push_back(std::this_thread::get_id());
}

void ElasticThreadPool::reap_locked(std::unique_lock<std::mutex>& lock) {
  if (ended_.empty()) return;
  std::vector<std::thread> finished;
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (std::find(ended_.begin(), ended_.end(), it->get_id()) != ended_.end()) {
      finished.push_back(std::move(*it));
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
  ended_.clear();
  // An ended thread has left work(); joining it returns at once, but not
  // under the lock it may still be releasing.
  lock.unlock();
  for (auto& thread : finished) thread.join();
  lock.lock();
}

void ElasticThreadPool::shutdown() {
  std::list<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    threads.swap(threads_);
    ended_.clear();
  }
  wake_.notify_all();
  for (auto& thread : threads) thread.join();
}

std::size_t ElasticThreadPool::threads() const {
  std::lock_guard lock(mutex_);
  return threads_.size() - ended_.size();
}

}  // namespace loveless::engine
