#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "loveless/stacks/fleet.hpp"

#include <sys/types.h>

namespace loveless::stacks {

/// A fleet whose workers are local processes (platform `process`).
///
/// Each worker is one process started with Boost.Process in a process group of
/// its own, so every primitive reaches the worker and whatever it forked:
/// kill is SIGKILL to the group, stop SIGTERM then SIGKILL after the grace,
/// pause SIGSTOP, resume SIGCONT. The run directory gets
///   `logs/<worker>.log`     stdout and stderr, appended across restarts,
///   `scratch/<worker>/`     the worker's TMPDIR,
///   `pids/<worker>.pid`     "<pgid> <start time>" while the worker lives,
///   `pids/fleet.lock`       held (flock) while the fleet lives.
/// Workers get PR_SET_PDEATHSIG=SIGKILL, so a fleet owner that dies without
/// `shutdown` (SIGKILL, crash) takes its workers with it; what survives that
/// (a worker that reset the death signal, a grandchild) is what
/// `sweep_leftover_processes` is for. Scale-down stops workers with a 2 s grace.
/// A process shares the host's file system, so each of `PoolSpec::mounts`
/// must be at its host path (container path == host path).
///
/// A private /tmp (`FleetOptions::private_tmp`, on by default): where the
/// machine allows it (`private_tmp_support`), each worker runs in a mount
/// namespace of its own in which its scratch directory is bind-mounted over
/// /tmp (TMPDIR is then `/tmp`), as Lambda and containers give, so what it
/// writes to /tmp directly is wiped and audited too. The mounts under /tmp
/// (the run directory often is) are bound again at their paths inside that
/// /tmp, on mount points the fleet creates in the scratch and a wipe keeps;
/// read-only mounts are remounted read-only; a command under /tmp is bound
/// read-only at its path. Nothing else of the host's /tmp is visible.
/// Nothing propagates back to the host (the namespace's mounts are private).
/// Where the machine does not allow it the fleet falls back to the host's
/// /tmp (TMPDIR is then the scratch directory) and `read_only` is not
/// enforced: `private_tmp_support().problem` says so, for a warning.
///
/// Throws `std::filesystem::filesystem_error` if the run directory cannot be
/// created; `add_*_pool` throw `std::invalid_argument` for a bad spec,
/// including a mount that fails `validate_mounts`, whose container path is
/// not its host path, or (with `private_tmp`) that is /tmp itself. Thread-safety and ownership as
/// `Fleet`.
std::unique_ptr<Fleet> make_process_fleet(FleetOptions options);

/// Whether this machine can give a process worker a private /tmp.
struct PrivateTmpSupport {
  bool available = false;
  /// Only inside a user namespace of the worker's own (no CAP_SYS_ADMIN, but
  /// unprivileged user namespaces allowed): the worker keeps its uid and gid,
  /// and files of unmapped owners show as the overflow uid (nobody).
  bool user_namespace = false;
  /// Empty when available; else the whole message for a validation warning:
  /// `this machine cannot give process workers a private /tmp (...); give
  /// the runner CAP_SYS_ADMIN (run as root; in a container, --cap-add
  /// SYS_ADMIN) or use --stack docker; workers that write /tmp directly are
  /// not wiped or audited, and read-only mounts are not enforced`.
  std::string problem;
};

/// Probes once per process, then answers from the cache: forks a child that
/// tries the whole set-up (unshare(CLONE_NEWNS), a private mount tree, a
/// scratch bound over /tmp, a read-only bind refusing a write), then the same
/// in a user namespace. Takes a few milliseconds the first time; never throws.
/// Thread-safe.
const PrivateTmpSupport& private_tmp_support();

/// Crash recovery: kills the process groups that runs under `runs_root`
/// (`<runs_root>/<run>/pids/*.pid`) left behind, and removes their pid files.
/// A run whose fleet is still alive (its `fleet.lock` is held) is skipped, and
/// so is a pid file another user wrote (a runs root under a shared /tmp). A
/// group is killed only if the process with the recorded pid still has the
/// recorded start time (`/proc/<pid>/stat`, field 22), so a pid reused by a
/// process the run did not start is never touched. When the recorded worker
/// is gone (it died with its runner) but processes it forked are still in its
/// group, those are killed one by one, each only if it started no earlier
/// than the worker and carries the run's `LOVELESS_RUN_ID` (the run
/// directory's name) in its environment. Returns the number of processes
/// ended: groups whose leader was still running (a leader that is already a
/// zombie has its group signalled but is not counted) plus such orphans,
/// after waiting up to 2 s for them to be gone or zombies.
/// `LocalStack::up` runs it before every run (docs/stacks.md, "Crash recovery").
std::size_t sweep_leftover_processes(const std::filesystem::path& runs_root);

/// As `sweep_leftover_processes`, but returns the pids it ended (a worker's,
/// which is its group's id, or those of the orphans it forked), for a
/// report, in the order swept.
std::vector<pid_t> sweep_leftover_process_groups(const std::filesystem::path& runs_root);

}  // namespace loveless::stacks
