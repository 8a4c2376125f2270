#pragma once

// What the scratch audit says about who left which file for whom: the
// mechanism half of no_local_state_reliance (docs/checks.md). The verdict
// itself comes from the warm/cold differential; this only explains it.

#include <cstddef>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "loveless/history/history.hpp"

namespace loveless::checks::detail {

/// A file in a worker's scratch and the task whose write left it there.
struct LeftFile {
  std::string path;
  const history::TaskRecord* writer = nullptr;
  history::TimePoint written{};
};

/// One read of scratch an earlier task left: `reader` (or nobody known) read
/// `path` in `worker`'s scratch after `writer`, which wrote it, had ended. A
/// directory listed is a read of what earlier tasks left in it (`left`).
struct ScratchReliance {
  std::string worker;
  std::string path;
  bool directory = false;
  /// The left files a directory listing saw (the file itself otherwise).
  std::vector<LeftFile> left;
  const history::TaskRecord* writer = nullptr;
  const history::TaskRecord* reader = nullptr;
  history::TimePoint written{};
  history::TimePoint read{};
  /// Reads of the same file by the same reader from the same writer.
  std::size_t reads = 0;
};

/// Replays the scratch audit per worker, attributing every write to the task
/// that ran it (a write recorded up to 250 ms after a task ended, before the
/// worker started another, is that task's: the audit timestamps an access a
/// moment after it happens).
///
/// Reads are `ScratchOperation::kRead` (inotify IN_ACCESS): an open to
/// overwrite or truncate a file an earlier task left is not a read. Listings
/// within 100 ms of a wipe-scratch fault on the worker are the runner's own
/// wipe and are left out. Holds pointers into `history`, which must outlive it.
class ScratchLedger {
 public:
  explicit ScratchLedger(const history::History& history);

  /// Every read of a file (or listing of a directory) an earlier, ended task
  /// left, one per (worker, path, writer, reader), in read order.
  [[nodiscard]] const std::vector<ScratchReliance>& reliances() const { return reliances_; }

  /// The files earlier tasks (ended before `at`) had left in `worker`'s
  /// scratch at `at`, not deleted since: what an existence check (stat,
  /// access, an O_EXCL open that fails), which inotify cannot see, may have
  /// found.
  [[nodiscard]] std::vector<LeftFile> left_at(const std::string& worker,
                                              history::TimePoint at) const;

  /// The tasks that started on `worker` before `task` did.
  [[nodiscard]] std::size_t earlier_tasks(const history::TaskRecord& task) const;

  /// The task `worker` ran at `at` (an access the audits recorded then): the
  /// one running (the latest started), else the one that ended last, at most
  /// 250 ms before (the worker ran nothing since; an audit timestamps an
  /// access a moment after it). Null when none.
  [[nodiscard]] const history::TaskRecord* task_on(const std::string& worker,
                                                   history::TimePoint at) const;

 private:
  using Accesses = std::vector<const history::ScratchAccess*>;
  void replay(const std::string& worker, const Accesses& accesses);
  [[nodiscard]] const history::TaskRecord* reader_of(const history::TaskRecord& writer,
                                                     const std::string& worker,
                                                     history::TimePoint at) const;
  [[nodiscard]] bool wiped_near(const std::string& worker, history::TimePoint at) const;

  const history::History& history_;
  std::vector<const history::TaskRecord*> started_;
  std::unordered_map<std::string, std::vector<const history::TaskRecord*>> by_worker_;
  std::map<std::string, Accesses> accesses_;
  std::vector<ScratchReliance> reliances_;
};

}  // namespace loveless::checks::detail
