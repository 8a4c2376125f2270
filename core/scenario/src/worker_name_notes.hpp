#pragma once

#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "loveless/stacks/pool.hpp"

#include "execution_tracker.hpp"

namespace loveless::scenario::detail {

/// The console lines about the `workerName`s activity workers polled with,
/// each said once per run:
/// - a warning for a name no fleet worker has, polled from a connection no
///   fleet worker owns: faults cannot reach that worker and its tasks count
///   for no fleet worker (a worker started outside the fleet, or one that
///   left its process group);
/// - a note for the first fleet worker of a pool that polls with a name of
///   its own (an AWS SDK's `hostname-pid`) and was recognised by its
///   connection: once per pool, not per worker.
///
/// Thread-safety: one thread.
class WorkerNameNotes {
 public:
  explicit WorkerNameNotes(std::vector<std::shared_ptr<stacks::Pool>> pools);

  /// The lines not said before, from what `tracker` has seen so far.
  [[nodiscard]] std::vector<std::string> take(const ExecutionTracker& tracker);

 private:
  [[nodiscard]] bool is_fleet_worker(const std::string& id) const;

  std::vector<std::shared_ptr<stacks::Pool>> pools_;
  /// (pool, workerName, worker) already said.
  std::set<std::tuple<std::string, std::string, std::string>> said_;
  /// Pools whose renamed workers have been noted.
  std::set<std::string> noted_pools_;
};

}  // namespace loveless::scenario::detail
