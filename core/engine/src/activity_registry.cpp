#include "activity_registry.hpp"

#include <utility>

namespace loveless::engine {

ActivityRecord ActivityRegistry::create(ActivityRecord record) {
  std::lock_guard lock(mutex_);
  auto arn = record.arn;
  return records_.try_emplace(std::move(arn), std::move(record)).first->second;
}

std::optional<ActivityRecord> ActivityRegistry::find(const std::string& arn) const {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(arn);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

bool ActivityRegistry::exists(const std::string& arn) const {
  std::lock_guard lock(mutex_);
  return records_.count(arn) != 0;
}

std::vector<ActivityRecord> ActivityRegistry::list_after(const std::string& after,
                                                         std::size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<ActivityRecord> out;
  for (auto it = after.empty() ? records_.begin() : records_.upper_bound(after);
       it != records_.end() && out.size() <= limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

bool ActivityRegistry::remove(const std::string& arn) {
  std::lock_guard lock(mutex_);
  return records_.erase(arn) != 0;
}

}  // namespace loveless::engine
