#include "single_use_pollers.hpp"

namespace loveless::engine {

void SingleUsePollers::set(bool on) {
  std::lock_guard lock(mutex_);
  on_ = on;
  used_.clear();
  resolved_names_.clear();
}

void SingleUsePollers::resolved(const std::string& worker_name, const std::string& fleet_worker) {
  if (worker_name.empty() || fleet_worker.empty() || worker_name == fleet_worker) return;
  std::lock_guard lock(mutex_);
  resolved_names_[worker_name] = fleet_worker;
}

bool SingleUsePollers::refuses_unresolved(const std::string& worker_name) const {
  std::lock_guard lock(mutex_);
  const auto found = resolved_names_.find(worker_name);
  if (found == resolved_names_.end()) return false;
  return retired_.count(found->second) != 0 || (on_ && used_.count(found->second) != 0);
}

bool SingleUsePollers::may_take(const std::string& poller) const {
  std::lock_guard lock(mutex_);
  if (retired_.count(poller) != 0) return false;
  return !on_ || poller.empty() || used_.count(poller) == 0;
}

bool SingleUsePollers::claim(const std::string& poller) {
  std::lock_guard lock(mutex_);
  if (retired_.count(poller) != 0) return false;
  return !on_ || poller.empty() || used_.insert(poller).second;
}

void SingleUsePollers::retire(const std::string& poller) {
  if (poller.empty()) return;
  std::lock_guard lock(mutex_);
  retired_.insert(poller);
}

void SingleUsePollers::release(const std::string& poller) {
  std::lock_guard lock(mutex_);
  used_.erase(poller);
}

}  // namespace loveless::engine
