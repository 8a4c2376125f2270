#include "single_use_pollers.hpp"

namespace loveless::engine {

void SingleUsePollers::set(bool on) {
  std::lock_guard lock(mutex_);
  on_ = on;
  used_.clear();
}

bool SingleUsePollers::may_take(const std::string& poller) const {
  std::lock_guard lock(mutex_);
  return !on_ || poller.empty() || used_.count(poller) == 0;
}

void SingleUsePollers::took(const std::string& poller) {
  std::lock_guard lock(mutex_);
  if (on_ && !poller.empty()) used_.insert(poller);
}

}  // namespace loveless::engine
