#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "loveless/engine/service.hpp"
#include "loveless/injectors/policy.hpp"

namespace loveless::scenario::detail {

/// Turns the engine's live execution notices into what the runner reacts to:
/// trigger events (a task started or ended on a worker, a state entered),
/// execution closings, and the worker of each Lambda task (which execution
/// histories do not record).
///
/// Thread-safety: `on_notice` is called by the engine on any thread (with an
/// execution's lock held, so it only updates maps and calls the sinks, which
/// must not block); everything else from any thread.
class ExecutionTracker {
 public:
  using TriggerSink = std::function<void(const injectors::TriggerEvent&)>;
  using ClosedSink = std::function<void(const std::string& execution_arn)>;

  /// `pool_of_resource`: activity ARN, function ARN or function name -> pool.
  ExecutionTracker(std::map<std::string, std::string> pool_of_resource, TriggerSink triggers,
                   ClosedSink closed);

  void on_notice(const engine::ExecutionNotice& notice);

  /// execution ARN -> (Started event id -> worker) for Lambda tasks.
  [[nodiscard]] std::map<std::string, std::map<std::int64_t, std::string>> lambda_workers() const;

 private:
  struct StartedTask {
    std::string state;
    std::string pool;
    std::string worker;
  };
  struct Tracked {
    /// Event id -> the state it belongs to, for the events of open states.
    std::unordered_map<std::int64_t, std::string> state_of_event;
    /// Scheduled event id -> pool.
    std::unordered_map<std::int64_t, std::string> pool_of_scheduled;
    /// Started event id -> the task.
    std::unordered_map<std::int64_t, StartedTask> started;
  };

  [[nodiscard]] std::string pool_of(const asl::HistoryEvent& event) const;

  const std::map<std::string, std::string> pool_of_resource_;
  const TriggerSink triggers_;
  const ClosedSink closed_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Tracked> executions_;
  std::map<std::string, std::map<std::int64_t, std::string>> lambda_workers_;
};

}  // namespace loveless::scenario::detail
