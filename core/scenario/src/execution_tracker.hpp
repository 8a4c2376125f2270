#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "loveless/engine/service.hpp"
#include "loveless/injectors/policy.hpp"
#include "loveless/scenario/run_observer.hpp"

namespace loveless::scenario::detail {

/// Turns the engine's live execution notices into what the runner reacts to:
/// trigger events (a task started or ended on a worker, a state entered),
/// execution closings, and the worker of each Lambda task (which execution
/// histories do not record); and, for a `RunObserver`, the executions that
/// closed and the task attempts that ended.
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
                   ClosedSink closed, RunObserver* observer = nullptr);

  void on_notice(const engine::ExecutionNotice& notice);

  /// execution ARN -> (Started event id -> worker) for Lambda tasks.
  [[nodiscard]] std::map<std::string, std::map<std::int64_t, std::string>> lambda_workers() const;

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
  std::optional<TaskAttemptEnded> attempt_ended(const engine::ExecutionNotice& notice,
                                                Tracked& tracked, const std::string& state);

  const std::map<std::string, std::string> pool_of_resource_;
  const TriggerSink triggers_;
  const ClosedSink closed_;
  RunObserver* const observer_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Tracked> executions_;
  std::map<std::string, std::map<std::int64_t, std::string>> lambda_workers_;
};

}  // namespace loveless::scenario::detail
