#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "loveless/history/run_observer.hpp"
#include "loveless/injectors/policy.hpp"
#include "loveless/notices/execution_notice.hpp"

namespace loveless::scenario::detail {

/// Turns the engine's live execution notices into what the runner reacts to:
/// trigger events (a task started or ended on a worker, a state entered),
/// execution closings, and the worker of each task as the stack saw it (the
/// fleet worker whose process took an activity task, whatever `workerName` it
/// polled with; the environment of a Lambda task, which histories do not
/// record); the `workerName`s activity workers polled with; and, for a
/// `RunObserver`, the executions that closed and the task attempts that ended.
///
/// Thread-safety: `on_notice` is called by the engine on any thread (with an
/// execution's lock held, so it only updates maps and calls the sinks, which
/// must not block); everything else from any thread.
class ExecutionTracker {
 public:
  using TriggerSink = std::function<void(const injectors::TriggerEvent&)>;
  using ClosedSink = std::function<void(const std::string& execution_arn)>;

  /// `pool_of_resource`: activity ARN, function ARN or function name -> pool.
  /// `observer` (may be null) must outlive the tracker.
  ExecutionTracker(std::map<std::string, std::string> pool_of_resource, TriggerSink triggers,
                   ClosedSink closed, history::RunObserver* observer = nullptr);

  void on_notice(const notices::ExecutionNotice& notice);

  /// execution ARN -> (Started event id -> worker) for every task whose
  /// notice named a worker (`TaskContext::task_workers`).
  [[nodiscard]] std::map<std::string, std::map<std::int64_t, std::string>> task_workers() const;

  /// Activity tasks of one pool started under one `workerName` and
  /// attributed to one worker.
  struct WorkerNameSeen {
    std::string pool;
    /// What the poll sent (ActivityStarted's `workerName`).
    std::string worker_name;
    /// The worker the stack attributed it to (`ExecutionNotice::worker`):
    /// the fleet worker whose process polled, or the `workerName` itself
    /// when the stack could not tell.
    std::string worker;
    std::size_t tasks = 0;
  };
  /// Every (pool, workerName, worker) seen so far, ordered by them.
  [[nodiscard]] std::vector<WorkerNameSeen> worker_names() const;
  /// Those whose tasks no fleet worker took as far as the stack can tell:
  /// no fleet worker owns the poll's connection and `is_fleet_worker` says
  /// the `workerName` is no fleet worker's id. Faults cannot reach them.
  [[nodiscard]] std::vector<WorkerNameSeen> unmapped_workers(
      const std::function<bool(const std::string& worker_id)>& is_fleet_worker) const;
  /// Those attributed by their connection to a fleet worker whose id is not
  /// the `workerName` they polled with.
  [[nodiscard]] std::vector<WorkerNameSeen> renamed_workers() const;

 private:
  struct StartedTask {
    std::string state;
    std::string pool;
    std::string worker;
    std::int64_t scheduled_event_id = 0;
  };
  struct ScheduledTask {
    std::string pool;
    bool retry = false;
  };
  struct Tracked {
    /// Event id -> the state it belongs to, for the events of open states.
    std::unordered_map<std::int64_t, std::string> state_of_event;
    /// Scheduled event id -> pool, and whether it retries a failed attempt.
    std::unordered_map<std::int64_t, ScheduledTask> scheduled;
    /// Started event id -> the task.
    std::unordered_map<std::int64_t, StartedTask> started;
    /// Ids of the events that ended a task attempt as failed or timed out:
    /// a task scheduled from one of them is a retry.
    std::set<std::int64_t> failed_ends;
    std::optional<asl::TimePoint> started_at;
  };

  [[nodiscard]] std::string pool_of(const asl::HistoryEvent& event) const;
  /// The attempt `event` (a task end) closes, or nullopt. With mutex_ held.
  std::optional<history::TaskAttemptEnded> attempt_ended(const notices::ExecutionNotice& notice,
                                                         Tracked& tracked,
                                                         const std::string& state);

  const std::map<std::string, std::string> pool_of_resource_;
  const TriggerSink triggers_;
  const ClosedSink closed_;
  history::RunObserver* const observer_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Tracked> executions_;
  std::map<std::string, std::map<std::int64_t, std::string>> task_workers_;
  /// (pool, workerName, worker) -> ActivityStarted events.
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> worker_names_;
};

}  // namespace loveless::scenario::detail
