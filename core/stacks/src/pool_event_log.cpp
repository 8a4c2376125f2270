#include "loveless/stacks/pool_event_log.hpp"

#include <utility>

namespace loveless::stacks {

void PoolEventLog::record(PoolEvent event) {
  // Stamped under the lock so the timestamps never run backwards in the log.
  const std::lock_guard lock(mutex_);
  event.at = std::chrono::system_clock::now();
  events_.push_back(event);
  for (const auto& listener : listeners_) listener(events_.back());
}

std::vector<PoolEvent> PoolEventLog::events() const {
  const std::lock_guard lock(mutex_);
  return events_;
}

void PoolEventLog::subscribe(std::function<void(const PoolEvent&)> listener) {
  const std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

}  // namespace loveless::stacks
