#include "activity_queue.hpp"

#include <algorithm>
#include <utility>

namespace loveless::engine {

void ActivityQueue::push(QueuedTask task) { hand_over(std::move(task), false); }

void ActivityQueue::requeue(QueuedTask task) { hand_over(std::move(task), true); }

void ActivityQueue::hand_over(QueuedTask task, bool first) {
  std::lock_guard lock(mutex_);
  if (!pollers_.empty()) {
    Poller* poller = pollers_.front();
    pollers_.pop_front();
    poller->task = std::move(task);
    poller->wake.notify_one();
    return;
  }
  if (first) {
    tasks_.push_front(std::move(task));
  } else {
    tasks_.push_back(std::move(task));
  }
}

std::optional<QueuedTask> ActivityQueue::take(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  if (!tasks_.empty()) {
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    return task;
  }
  if (shut_down_) return std::nullopt;
  Poller self;
  const auto position = pollers_.insert(pollers_.end(), &self);
  self.wake.wait_until(lock, deadline,
                       [&] { return self.task.has_value() || self.released || shut_down_; });
  // A hand-off or a release removes the poller from the list; otherwise it
  // must leave itself.
  if (!self.task && !self.released) pollers_.erase(position);
  return std::move(self.task);
}

void ActivityQueue::release_waiting() {
  std::lock_guard lock(mutex_);
  for (Poller* poller : pollers_) {
    poller->released = true;
    poller->wake.notify_one();
  }
  pollers_.clear();
}

void ActivityQueue::idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  idle_wake_.wait_until(lock, deadline, [&] { return shut_down_; });
}

bool ActivityQueue::remove(const std::string& task_token) {
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(tasks_.begin(), tasks_.end(),
                               [&](const QueuedTask& t) { return t.task_token == task_token; });
  if (it == tasks_.end()) return false;
  tasks_.erase(it);
  return true;
}

void ActivityQueue::shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  for (Poller* poller : pollers_) poller->wake.notify_one();
  idle_wake_.notify_all();
}

std::size_t ActivityQueue::waiting_pollers() const {
  std::lock_guard lock(mutex_);
  return pollers_.size();
}

std::size_t ActivityQueue::queued_tasks() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

std::shared_ptr<ActivityQueue> ActivityQueues::get(const std::string& activity_arn) {
  std::lock_guard lock(mutex_);
  auto& queue = queues_[activity_arn];
  if (!queue) {
    queue = std::make_shared<ActivityQueue>();
    if (shut_down_) queue->shutdown();
  }
  return queue;
}

void ActivityQueues::release_waiting() {
  std::lock_guard lock(mutex_);
  for (auto& [arn, queue] : queues_) queue->release_waiting();
}

void ActivityQueues::shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  for (auto& [arn, queue] : queues_) queue->shutdown();
}

}  // namespace loveless::engine
