#include "job_thread.hpp"

#include <exception>
#include <utility>

#include <spdlog/spdlog.h>

namespace loveless::engine {

JobThread::JobThread() : thread_([this] { run(); }) {}

JobThread::~JobThread() { stop(); }

void JobThread::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void JobThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void JobThread::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    try {
      job();
    } catch (const std::exception& e) {
      // A job reports its own failures; this only keeps the thread alive.
      spdlog::error("local function job failed: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace loveless::engine
