#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace loveless::engine {

/// Single-use workers for activities (`StepFunctionsService::set_single_use_workers`):
/// while on, each poller takes at most one task. A poller is known by its
/// identity: the fleet worker behind its connection when the engine's
/// resolver names one, else its `workerName`; one with neither cannot be
/// told apart from others and is never held back.
///
/// Thread-safety: every method may be called from any thread.
class SingleUsePollers {
 public:
  /// Turns single-use on or off; either way forgets who took tasks.
  void set(bool on);
  /// False when single-use is on and `poller` took a task since it was turned on.
  [[nodiscard]] bool may_take(const std::string& poller) const;
  /// Claims `poller`'s one task: false when single-use is on and it has one
  /// already (a worker polling from several threads at once gets one task,
  /// not one per thread). True when single-use is off or `poller` is empty.
  [[nodiscard]] bool claim(const std::string& poller);
  /// Gives a claim back: the task it was for closed before it started.
  void release(const std::string& poller);
  /// `poller` takes no more tasks, single-use on or off: the runner is about
  /// to replace it (StepFunctionsService::retire_worker). Empty is ignored.
  void retire(const std::string& poller);
  /// The resolver named `fleet_worker` for a poll sent as `worker_name`
  /// (a worker's own workerName, `hostname-pid`). Remembered until `set`.
  void resolved(const std::string& worker_name, const std::string& fleet_worker);
  /// True when a poll the resolver could not place, sent as `worker_name`,
  /// comes from a worker that may take no task: the last fleet worker seen
  /// polling under that name is retired or (single-use on) has had its task.
  /// A worker that is being stopped polls again after its task, and by then
  /// its process may have no socket left to find it by; without this it was
  /// handed a task its stop then lost.
  [[nodiscard]] bool refuses_unresolved(const std::string& worker_name) const;

 private:
  mutable std::mutex mutex_;
  bool on_ = false;
  std::set<std::string> used_;
  /// workerName -> the fleet worker last resolved for it.
  std::map<std::string, std::string> resolved_names_;
  /// Never cleared: fleet worker names are not reused within a run.
  std::set<std::string> retired_;
};

}  // namespace loveless::engine
