#include "timer_service.hpp"

#include <chrono>
#include <exception>
#include <utility>

#include <spdlog/spdlog.h>

namespace loveless::engine {

TimerService::TimerService() : thread_([this] { run(); }) {}

TimerService::~TimerService() { stop(); }

TimerService::Key TimerService::start(asl::TimePoint due, std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  const Key key = next_key_++;
  if (stopping_) return key;
  queue_.push(Entry{due, key});
  callbacks_.emplace(key, std::move(callback));
  wake_.notify_one();
  return key;
}

void TimerService::cancel(Key key) {
  std::lock_guard lock(mutex_);
  callbacks_.erase(key);
}

void TimerService::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    callbacks_.clear();
    queue_ = {};
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::size_t TimerService::pending() const {
  std::lock_guard lock(mutex_);
  return callbacks_.size();
}

void TimerService::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const Entry top = queue_.top();
    const auto found = callbacks_.find(top.key);
    if (found == callbacks_.end()) {
      queue_.pop();
      continue;
    }
    if (top.due > std::chrono::system_clock::now()) {
      // Woken early by a new, possibly earlier timer or by stop(): re-evaluate.
      wake_.wait_until(lock, top.due);
      continue;
    }
    queue_.pop();
    auto callback = std::move(found->second);
    callbacks_.erase(found);
    lock.unlock();
    try {
      callback();
    } catch (const std::exception& e) {
      spdlog::error("timer callback failed: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace loveless::engine
