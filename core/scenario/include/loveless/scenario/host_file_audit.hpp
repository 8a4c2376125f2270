#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "loveless/history/history.hpp"

namespace loveless::scenario {

/// Watches the host's file systems with fanotify for files that workers'
/// processes write outside their scratch, and for later reads of those files,
/// for the "no local-state reliance" check (docs/checks.md, "State outside
/// scratch").
///
/// Why: a process worker shares the host's file system with every other
/// worker. A file it writes in its working directory (the runner's), in
/// `$HOME` or in `/var/tmp` outlives it, so the cold phase's fresh workers find
/// it as the warm ones did, and warm and cold can agree on an outcome that
/// depended on it. The scratch audit (inotify, `ScratchAudit`) cannot see such
/// files; fanotify sees every file system it marks, with the pid of the process
/// that made each access.
///
/// One fanotify group (FAN_CLASS_NOTIF, unlimited queue, FAN_REPORT_FID: events
/// carry file handles, so the kernel opens no file per event) marks the whole
/// file system (FAN_MARK_FILESYSTEM) of each of `/`, the runner's working
/// directory, `$HOME`, `/var/tmp` and `/dev/shm` (each file system once; the
/// root's must be markable, the others are where the kernel allows) for
/// FAN_MODIFY and FAN_ACCESS, and one reader thread (poll() on the group and an
/// eventfd that stops it) turns events into `history::HostFileAccess` records:
///
/// - the process is looked up with `owner(pid)` (cached for a second per pid);
///   events of processes that are no worker's are dropped (a "no" is
///   forgotten when `forget_unknown_processes()` says a worker started);
/// - a worker's event is resolved to the regular file's path through this
///   process's own mount of its file system (open_by_handle_at), so a file a
///   worker reached through its private /tmp is named by its host path, in
///   its scratch; paths under an `excluded` prefix (the run directory with
///   every scratch, which `ScratchAudit` audits, and the pools' mounts: state
///   the workflow declares) and under `/proc` and `/sys` are dropped;
/// - FAN_MODIFY gives `kModified`, once per worker and file until another
///   worker touches it or 50 ms pass; FAN_ACCESS (data read) gives `kRead`, only
///   for a file some worker wrote since the audit started (reads of the
///   worker's own binary, libraries and inputs are not state), once per
///   worker, file and write. A file is its file handle (`HostFileAccess::file`),
///   so a write to `x.tmp` renamed to `x` and read as `x` is one file.
///
/// Existence checks (`stat`, `access`) and memory-mapped reads produce no
/// fanotify event and so no record, as in the scratch audit.
///
/// Timestamps are `system_clock` when the reader thread reads a batch, as in
/// `ScratchAudit`. Thread-safety: every member may be called from any thread;
/// `owner` is called on the reader thread.
class HostFileAudit {
 public:
  /// The worker whose process `pid` is, or "" when it is no worker's.
  using Owner = std::function<std::string(int pid)>;

  /// Starts the fanotify group, its marks and the reader thread. Throws
  /// `std::system_error` ("fanotify is unavailable: ...") when the kernel
  /// refuses a group or the root file system's mark (no CAP_SYS_ADMIN and
  /// CAP_DAC_READ_SEARCH, or no fanotify), or when the thread cannot start.
  HostFileAudit(Owner owner, std::vector<std::filesystem::path> excluded);
  /// Stops the reader thread and closes the group.
  ~HostFileAudit();
  HostFileAudit(const HostFileAudit&) = delete;
  HostFileAudit& operator=(const HostFileAudit&) = delete;
  HostFileAudit(HostFileAudit&&) = delete;
  HostFileAudit& operator=(HostFileAudit&&) = delete;

  /// Forgets which processes were no worker's: call when a worker starts, so
  /// its process is looked up again although an event of it came first.
  void forget_unknown_processes();

  /// Everything recorded since the last `take()`, in order.
  std::vector<history::HostFileAccess> take();

  /// How many times the kernel's queue overflowed (FAN_Q_OVERFLOW: events
  /// lost). Not zero means the records are incomplete.
  [[nodiscard]] std::size_t dropped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::scenario
