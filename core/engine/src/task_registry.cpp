#include "task_registry.hpp"

#include <utility>

namespace loveless::engine {

void TaskRegistry::add(const std::string& token, TaskEntry entry) {
  std::lock_guard lock(mutex_);
  entries_[token] = std::move(entry);
}

std::optional<TaskEntry> TaskRegistry::find(const std::string& token) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(token);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void TaskRegistry::close(const std::string& token) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(token);
  if (it != entries_.end()) it->second.closed = true;
}

}  // namespace loveless::engine
