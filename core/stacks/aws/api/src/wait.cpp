#include "loveless/aws_api/wait.hpp"

#include <algorithm>
#include <thread>

namespace loveless::aws_api {

bool poll_until(std::chrono::milliseconds timeout, std::chrono::milliseconds interval,
                const std::function<bool()>& poll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (poll()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    // Never sleep past the deadline, so a long interval cannot stretch a
    // short timeout; one last poll is made at the deadline.
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(interval, deadline - now));
  }
}

}  // namespace loveless::aws_api
