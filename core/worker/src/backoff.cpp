#include "backoff.hpp"

#include <algorithm>
#include <thread>

namespace loveless::worker {

std::chrono::milliseconds Backoff::next() {
  const auto delay = delay_;
  delay_ = std::min(delay_ * 2, kCap);
  return delay;
}

bool Backoff::sleep(const std::function<bool()>& give_up) {
  // Slices keep SIGTERM handling prompt during a long backoff.
  constexpr std::chrono::milliseconds kSlice{50};
  const auto until = std::chrono::steady_clock::now() + next();
  while (std::chrono::steady_clock::now() < until) {
    if (give_up()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        kSlice, until - std::chrono::steady_clock::now()));
  }
  return !give_up();
}

bool is_retryable(const aws::AwsError& error) {
  return error.http_status() == 0 || error.http_status() >= 500 ||
         error.type().find("Throttl") != std::string::npos;
}

bool is_task_gone(const aws::AwsError& error) {
  return error.type() == "TaskTimedOut" || error.type() == "TaskDoesNotExist" ||
         error.type() == "InvalidToken";
}

}  // namespace loveless::worker
