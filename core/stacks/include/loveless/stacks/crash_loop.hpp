#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace loveless::stacks {

/// How a pool tells a worker that cannot start from one that works: a worker
/// that exits on its own (not by a fault, a scale-down or the shutdown)
/// within `kQuickDeath` of its start and before it asked the orchestrator
/// for work died *early*. Each early death doubles the delay before the
/// pool replaces it (100 ms, 200 ms, ... up to 5 s, on top of the pool's
/// `replacement_delay`); any other death resets it. After `kCrashLoopDeaths`
/// early deaths in a row the pool is *crash-looping*: it keeps replacing at
/// the longest delay, and `failure()` says why, which fails the scenario
/// (docs/stacks.md, "Workers that cannot start").
///
/// Thread-safety: every method may be called from any thread.
class CrashLoopGuard {
 public:
  static constexpr std::chrono::seconds kQuickDeath{5};
  static constexpr std::chrono::milliseconds kFirstBackoff{100};
  static constexpr std::chrono::milliseconds kMaxBackoff{5000};
  static constexpr int kCrashLoopDeaths = 5;

  /// One worker's end, as the pool saw it.
  struct Death {
    std::string worker_id;
    std::chrono::steady_clock::duration uptime{};  ///< from its start to its death
    bool on_its_own = true;     ///< false: ended by a fault, scale-down or shutdown
    std::string how;            ///< `exit 3`, `signal 11`
    std::filesystem::path log;  ///< its stdout and stderr
  };

  explicit CrashLoopGuard(std::string pool) : pool_(std::move(pool)) {}

  /// The worker asked the orchestrator for work (an activity poll, a Lambda
  /// environment's first /next): it started, so its death is never early.
  void served(const std::string& worker_id);
  /// Records a death; returns the extra delay before its replacement starts
  /// (zero unless it died early).
  std::chrono::milliseconds died(const Death& death);
  /// Set once the pool is crash-looping: `pool 'echo' is crash-looping: 5
  /// workers in a row exited within 5 s of starting, before asking for work;
  /// the last, echo-5, ended with exit 3; the end of its log
  /// /runs/r/logs/echo-5.log: <last lines>`.
  [[nodiscard]] std::optional<std::string> failure() const;

 private:
  const std::string pool_;
  mutable std::mutex mutex_;
  std::set<std::string> served_;
  int early_in_a_row_ = 0;
  std::optional<std::string> failure_;
};

/// The last `lines` lines of a text file (at most its last 4 KiB), each
/// prefixed with `  | `, joined by newlines; empty if it cannot be read.
std::string tail_of_file(const std::filesystem::path& file, std::size_t lines = 5);

}  // namespace loveless::stacks
