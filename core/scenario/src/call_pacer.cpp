#include "loveless/scenario/detail/call_pacer.hpp"

#include <algorithm>
#include <thread>

namespace loveless::scenario::detail {

CallPacer::CallPacer(double per_second)
    : spacing_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(per_second > 0 ? 1.0 / per_second : 0.0))) {}

bool CallPacer::wait(
    const std::function<bool(std::chrono::steady_clock::time_point)>& sleep_until) {
  const auto now = std::chrono::steady_clock::now();
  if (next_ > now && !sleep_until(next_)) return false;
  next_ = std::max(now, next_) + spacing_;
  return true;
}

void CallPacer::wait() {
  wait([](std::chrono::steady_clock::time_point until) {
    std::this_thread::sleep_until(until);
    return true;
  });
}

}  // namespace loveless::scenario::detail
