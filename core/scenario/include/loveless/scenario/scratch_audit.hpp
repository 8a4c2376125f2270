#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "loveless/history/history.hpp"

namespace loveless::scenario {

/// Watches workers' scratch directories with inotify and records every file
/// access in them, for the "no local-state reliance" check.
///
/// One inotify instance and one reader thread (blocked in poll() on the
/// inotify descriptor and an eventfd that stops it). Events map to
/// `history::ScratchAccess` records as follows (paths relative to the worker's scratch
/// directory, directories included for created and deleted):
///
/// | inotify | record |
/// | --- | --- |
/// | IN_CREATE | `kCreated` (a new directory is also watched, see below) |
/// | IN_MOVED_TO | `kCreated` (an atomic write, temp file + rename, shows the final name created) |
/// | IN_OPEN | `kOpened` (files only; opening a directory is not recorded) |
/// | IN_ACCESS | `kRead` (data read, or a directory listed: `.` the scratch dir), once per run |
/// | IN_MODIFY, IN_CLOSE_WRITE | `kModified`, once for a run of them on one file within one read |
/// | IN_DELETE, IN_MOVED_FROM | `kDeleted` |
///
/// Watching is recursive: subdirectories that exist at `watch()` and those
/// created (or moved in) later. A directory's watch starts a moment after its
/// creation, so the audit lists the new directory's contents once watched and
/// records what it finds as created; a file created in that moment may then be
/// recorded as created twice. A directory moved in records its contents as
/// created; one moved out (or away within the scratch directory) records only
/// itself as deleted. Wiping a scratch directory (deleting its contents) while
/// it is watched records each deletion and keeps the directory watched; if the
/// scratch directory itself is removed, its watch ends (IN_IGNORED) and a
/// directory created again at that path is not watched until `watch()` is
/// called again.
///
/// Writes from a Docker container to a bind-mounted scratch directory are seen
/// the same way: inotify watches the host inode the container writes through.
/// Accesses through another mount of the same directory are seen as well;
/// accesses by another host over a network file system are not.
///
/// Timestamps are taken with `system_clock` when the reader thread reads a
/// batch of events, so all records of one read share one timestamp and each
/// lags its access by the read latency. Measured on a 2-core machine (the
/// `[latency]` test prints it; creation to record timestamp, 200 files): a
/// median of 20-65 us and a p99 of 0.2-0.4 ms, with outliers to 5-16 ms when
/// both cores are saturated (load average 7). Order within `take()` is the
/// kernel's order. The kernel merges an event with an identical one still
/// unread before it, so a run of modifications may arrive as one.
///
/// Thread-safety: every member may be called from any thread.
class ScratchAudit {
 public:
  /// Starts the inotify instance and the reader thread. Throws
  /// `std::system_error` ("inotify is unavailable: ...") when the kernel
  /// refuses an inotify instance (not supported, or fs.inotify.max_user_instances
  /// reached), or when the reader thread cannot start.
  ScratchAudit();
  /// Stops the reader thread and closes the inotify instance.
  ~ScratchAudit();
  ScratchAudit(const ScratchAudit&) = delete;
  ScratchAudit& operator=(const ScratchAudit&) = delete;
  ScratchAudit(ScratchAudit&&) = delete;
  ScratchAudit& operator=(ScratchAudit&&) = delete;

  /// Records every access under `scratch_dir` as `worker`'s, from now on
  /// (existing files are not reported). Idempotent per worker: watching the
  /// same directory again does nothing (unless it was removed and created
  /// again since: then the new one is watched); another directory replaces
  /// the previous one. Two workers may share a directory (each gets the records).
  /// Throws `std::system_error` when `scratch_dir` cannot be watched (missing,
  /// not a directory, or fs.inotify.max_user_watches reached; the message
  /// names the directory), and `std::invalid_argument` for an empty worker.
  void watch(const std::string& worker, const std::filesystem::path& scratch_dir);
  /// Stops recording `worker`'s accesses (those already recorded stay for
  /// `take()`). Unknown workers are ignored.
  void unwatch(const std::string& worker);
  /// True while `worker` is watched (its scratch directory may have been removed since).
  [[nodiscard]] bool watching(const std::string& worker) const;

  /// Everything recorded since the last `take()`, in order.
  std::vector<history::ScratchAccess> take();

  /// How many times events were lost: each overflow of the kernel's event
  /// queue (IN_Q_OVERFLOW: an unknown number of events each, for every
  /// watched worker) and each directory created under a scratch directory
  /// that could not be watched (fs.inotify.max_user_watches reached). Not zero
  /// means the records are incomplete: report it, never treat the audit as
  /// complete then.
  [[nodiscard]] std::size_t dropped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::scenario
