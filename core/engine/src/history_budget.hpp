#pragma once

// The history payload all executions of one service may hold together: each
// execution is capped at 1 GiB (asl), but twenty loops carrying 200 KB
// through their states held 20 GiB and the machine's out-of-memory killer
// ended the engine, and with it the runner that hosts it (docs/engine.md,
// "Limits"). AWS has no such limit; it does not keep histories in memory.

#include <atomic>
#include <cstddef>
#include <string>

namespace loveless::engine {

class HistoryBudget {
 public:
  /// `limit` bytes of payload text (inputs, outputs, errors' causes) in the
  /// histories of every execution together.
  explicit HistoryBudget(std::size_t limit) noexcept : limit_(limit) {}

  /// Takes `bytes` from the budget; false (taking nothing) when it would go
  /// over. Thread-safe.
  [[nodiscard]] bool try_reserve(std::size_t bytes) noexcept;
  /// Gives back what `try_reserve` took (an execution that went away).
  void release(std::size_t bytes) noexcept;

  [[nodiscard]] std::size_t limit() const noexcept { return limit_; }
  [[nodiscard]] std::size_t used() const noexcept { return used_.load(); }

  /// The cause an execution fails with when the budget refuses it
  /// (States.Runtime), naming the limit.
  [[nodiscard]] std::string refusal_cause() const;

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

/// A quarter of the machine's memory, between 1 GiB and 8 GiB: the runner
/// that hosts the engine keeps a copy of each history it collects, so the
/// two together stay within half of it.
std::size_t default_history_budget() noexcept;

}  // namespace loveless::engine
