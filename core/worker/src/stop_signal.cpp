#include "stop_signal.hpp"

#include <atomic>
#include <cstring>
#include <mutex>

#include <signal.h>

namespace loveless::worker {
namespace {

// A lock-free atomic is async-signal-safe, unlike anything that may take a lock.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int /*signal*/) { g_stop.store(true, std::memory_order_relaxed); }

}  // namespace

void install_stop_handler() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    struct sigaction action {};
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
  });
}

bool stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed); }

}  // namespace loveless::worker
