#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "loveless/stacks/pool.hpp"

namespace loveless::stacks {

/// A pool's events, oldest first, and the listeners that see each new one.
///
/// Thread-safety: every method may be called from any thread. Events are
/// delivered one at a time, in the order recorded, so listeners never run
/// concurrently and see exactly the order `events` reports.
class PoolEventLog {
 public:
  /// Stamps `event` with the current time, keeps it and hands it to every listener.
  void record(PoolEvent event);
  [[nodiscard]] std::vector<PoolEvent> events() const;
  void subscribe(std::function<void(const PoolEvent&)> listener);

 private:
  mutable std::mutex mutex_;
  std::vector<PoolEvent> events_;
  std::vector<std::function<void(const PoolEvent&)>> listeners_;
};

}  // namespace loveless::stacks
