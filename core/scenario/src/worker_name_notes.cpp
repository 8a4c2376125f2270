#include "worker_name_notes.hpp"

#include <utility>

namespace loveless::scenario::detail {
namespace {

std::string quoted_name(const std::string& worker_name) {
  return worker_name.empty() ? "no workerName" : "workerName \"" + worker_name + "\"";
}

std::string tasks_text(std::size_t tasks) {
  return std::to_string(tasks) + (tasks == 1 ? " task" : " tasks");
}

}  // namespace

WorkerNameNotes::WorkerNameNotes(std::vector<std::shared_ptr<stacks::Pool>> pools)
    : pools_(std::move(pools)) {}

bool WorkerNameNotes::is_fleet_worker(const std::string& id) const {
  for (const auto& pool : pools_) {
    for (const auto& worker : pool->workers()) {
      if (worker->id() == id) return true;
    }
  }
  return false;
}

std::vector<std::string> WorkerNameNotes::take(const ExecutionTracker& tracker) {
  std::vector<std::string> lines;
  const auto fresh = [this](const ExecutionTracker::WorkerNameSeen& seen) {
    return said_.insert({seen.pool, seen.worker_name, seen.worker}).second;
  };
  for (const auto& seen :
       tracker.unmapped_workers([this](const std::string& id) { return is_fleet_worker(id); })) {
    if (!fresh(seen)) continue;
    lines.push_back("warning: pool " + (seen.pool.empty() ? "(unknown)" : seen.pool) + ": " +
                    tasks_text(seen.tasks) + " taken with " + quoted_name(seen.worker_name) +
                    ", which is no fleet worker's id, over a connection no fleet worker owns: "
                    "faults cannot reach that worker and its tasks count for no fleet worker "
                    "(docs/stacks.md, \"Workers with a workerName of their own\")");
  }
  for (const auto& seen : tracker.renamed_workers()) {
    // Once per pool: every replacement of an SDK worker polls with a name of
    // its own, and disposable() replaces a worker after every task.
    if (!fresh(seen) || !noted_pools_.insert(seen.pool).second) continue;
    lines.push_back("note: worker " + seen.worker + " (pool " + seen.pool + ") polls with " +
                    quoted_name(seen.worker_name) +
                    "; its tasks are attributed to it by its connection, as are those of the "
                    "pool's other workers that poll with a name of their own (noted once per "
                    "pool)");
  }
  return lines;
}

}  // namespace loveless::scenario::detail
