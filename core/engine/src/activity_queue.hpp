#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace loveless::engine {

class ExecutionRecord;

/// An activity task waiting for (or just handed to) a worker.
struct QueuedTask {
  std::string task_token;
  std::weak_ptr<ExecutionRecord> execution;
  std::uint64_t task_id = 0;
  /// The task's input as JSON text, as GetActivityTask returns it.
  std::string input;
};

/// The task queue of one activity. A task pushed while workers are polling goes
/// straight to the one that has waited longest (no polling interval); otherwise
/// it waits, in order, for the next poller. Every task is handed out at most once.
///
/// Thread-safety: every method may be called from any thread.
class ActivityQueue {
 public:
  /// Hands `task` to the oldest waiting poller, or queues it.
  void push(QueuedTask task);
  /// Gives back a task a poller took but may not run: to the oldest waiting
  /// poller, else first in the queue, so it keeps its place.
  void requeue(QueuedTask task);
  /// Waits until a task is available, `deadline` passes or the queue shuts
  /// down; nullopt when no task came.
  std::optional<QueuedTask> take(std::chrono::steady_clock::time_point deadline);
  /// Waits, taking nothing, until `deadline` passes or the queue shuts down: a
  /// poll the engine will not give a task (single-use workers) but must not
  /// answer early, or the worker would poll again at once.
  void idle(std::chrono::steady_clock::time_point deadline);
  /// Answers every poller waiting now with no task. A poll whose worker has
  /// died (the engine cannot tell) would otherwise take the next task and
  /// hold it until its heartbeat or timeout ran out; a live worker just polls
  /// again.
  void release_waiting();
  /// Removes a task that has not been handed out yet. Returns whether it was queued.
  bool remove(const std::string& task_token);
  /// Wakes every poller (they get no task) and makes later `take` calls return at once.
  void shutdown();

  /// Pollers currently blocked in `take` (tests use it to wait for a poller).
  [[nodiscard]] std::size_t waiting_pollers() const;
  /// Tasks waiting for a poller.
  [[nodiscard]] std::size_t queued_tasks() const;

 private:
  // Each poller waits on its own condition variable so that a hand-off wakes
  // exactly the poller that receives the task.
  struct Poller {
    std::condition_variable wake;
    std::optional<QueuedTask> task;
    /// Answered with no task by `release_waiting` (and off the list).
    bool released = false;
  };

  void hand_over(QueuedTask task, bool first);

  mutable std::mutex mutex_;
  std::deque<QueuedTask> tasks_;
  std::list<Poller*> pollers_;
  std::condition_variable idle_wake_;
  bool shut_down_ = false;
};

/// The queues of every activity, by activity ARN. A queue outlives the
/// activity's deletion so that tasks already queued are not lost if the
/// activity is created again.
///
/// Thread-safety: every method may be called from any thread.
class ActivityQueues {
 public:
  /// The queue of `activity_arn`, created on first use.
  std::shared_ptr<ActivityQueue> get(const std::string& activity_arn);
  /// `ActivityQueue::release_waiting` on every queue.
  void release_waiting();
  /// Shuts down every queue, including ones created later.
  void shutdown();

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ActivityQueue>> queues_;
  bool shut_down_ = false;
};

}  // namespace loveless::engine
