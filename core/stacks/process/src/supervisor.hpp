#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace loveless::stacks::process {

/// The one thread of a process fleet. It reaps the worker processes it
/// watches, runs delayed work (replacements), delivers pool events to
/// subscribers, and is the only thread that starts worker processes, because
/// PR_SET_PDEATHSIG ties a worker's life to the thread that forked it.
///
/// A death is noticed through a pidfd (at once) or, where pidfds are missing,
/// by polling every 20 ms. When a group leader exits, the rest of its group is
/// SIGKILLed before the leader is reaped (the unreaped leader keeps the pgid
/// from being reused), so nothing a worker forked outlives it.
///
/// Thread-safety: every method may be called from any thread.
class Supervisor {
 public:
  /// Gets how the process ended: `exit <code>` or `signal <number>`.
  using ExitHandler = std::function<void(const std::string& detail)>;

  Supervisor();
  /// Runs `stop`.
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  /// Reaps `pid` (a child of this process) when it exits and then calls
  /// `handler` on the supervisor thread. Before the handler, the rest of
  /// its group is SIGKILLed and so is every process that left the group but
  /// carries all of `marks` in its environment and started no earlier than
  /// `pid` (`marked_processes`): a daemon a worker detached with `setsid`
  /// dies with the worker, as it would with its container or Lambda
  /// environment.
  void watch(pid_t pid, ExitHandler handler, std::vector<std::string> marks = {});
  /// Runs `task` on the supervisor thread, after the tasks posted before it.
  /// Dropped after `stop`.
  void post(std::function<void()> task);
  /// Runs `task` on the supervisor thread after `delay`. Dropped by `stop`.
  void post_after(std::chrono::milliseconds delay, std::function<void()> task);
  /// Runs `task` on the supervisor thread and waits for it; rethrows what it
  /// throws. Throws `std::runtime_error` once `stop` has begun.
  void run_sync(const std::function<void()>& task);
  [[nodiscard]] bool on_thread() const;
  /// The number of processes not yet reaped.
  [[nodiscard]] std::size_t watched() const;
  /// Runs the tasks already posted, drops timers, ends the thread, then
  /// SIGKILLs and reaps whatever is still watched. Idempotent.
  void stop();

 private:
  struct Watch {
    pid_t pid = 0;
    int pidfd = -1;
    ExitHandler handler;
    std::vector<std::string> marks;
    std::uint64_t start_time = 0;  ///< ProcStat::start_time of `pid`
  };
  /// SIGKILLs `watch`'s group and its marked processes (the leader unreaped).
  static void kill_everything_of(const Watch& watch);
  struct Timer {
    std::chrono::steady_clock::time_point due;
    std::function<void()> task;
  };

  void loop();
  void wake() const;
  void reap_exited();
  int poll_timeout_ms();

  mutable std::mutex mutex_;
  std::deque<std::function<void()>> tasks_;
  std::vector<Timer> timers_;
  std::vector<Watch> watches_;
  bool stopping_ = false;
  bool finished_ = false;  ///< the thread has ended: posted tasks would never run
  int wake_fd_ = -1;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace loveless::stacks::process
