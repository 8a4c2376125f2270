#pragma once

#include <atomic>
#include <cstdint>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "loveless/engine/service.hpp"

namespace loveless::engine {

/// The observers of `StepFunctionsService::observe`.
///
/// Thread-safety: every method may be called from any thread, except that
/// `add` and `remove` throw `std::logic_error` on a thread inside `notify`.
/// Its lock is a leaf: `notify` holds it shared (under an execution's lock)
/// while it calls the observers, `add` and `remove` hold it exclusively.
class ExecutionObservers {
 public:
  std::uint64_t add(ExecutionObserver observer);
  /// After it returns, `notify` never calls that observer again.
  void remove(std::uint64_t id);

  /// Whether nobody observes; one atomic load, so publishing with no observer
  /// costs next to nothing. A stale answer is harmless: `notify` reads the list
  /// under the lock.
  [[nodiscard]] bool empty() const noexcept { return count_.load() == 0; }

  /// Calls every observer with each notice `next` yields (a callable returning
  /// `const ExecutionNotice*`, null when done), under one shared lock. An
  /// observer's exception is logged and ignored.
  template <typename Next>
  void notify(Next&& next) const {
    std::shared_lock lock(mutex_);
    if (observers_.empty()) return;
    const Notifying notifying;
    while (const ExecutionNotice* notice = next()) {
      for (const auto& entry : observers_) call(entry.second, *notice);
    }
  }

 private:
  /// Marks the current thread as inside `notify`, to refuse re-entrant
  /// `add`/`remove` (which would deadlock on the lock) with an exception.
  struct Notifying {
    Notifying();
    ~Notifying();
    Notifying(const Notifying&) = delete;
    Notifying& operator=(const Notifying&) = delete;

   private:
    bool outer_;
  };
  static void call(const ExecutionObserver& observer, const ExecutionNotice& notice) noexcept;
  static void refuse_reentry(const char* operation);

  mutable std::shared_mutex mutex_;
  std::vector<std::pair<std::uint64_t, ExecutionObserver>> observers_;
  std::uint64_t next_id_ = 1;
  std::atomic<std::size_t> count_{0};
};

}  // namespace loveless::engine
