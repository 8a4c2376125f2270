#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

#include "loveless/stacks/fleet.hpp"

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
/// A process shares the host's file system, so `PoolSpec::mounts` are only
/// checked: each must be at its host path (container path == host path), and
/// `read_only` is not enforced.
///
/// Throws `std::filesystem::filesystem_error` if the run directory cannot be
/// created; `add_*_pool` throw `std::invalid_argument` for a bad spec,
/// including a mount that fails `validate_mounts` or whose container path is
/// not its host path. Thread-safety and ownership as `Fleet`.
std::unique_ptr<Fleet> make_process_fleet(FleetOptions options);

/// Crash recovery: kills the process groups that runs under `runs_root`
/// (`<runs_root>/<run>/pids/*.pid`) left behind, and removes their pid files.
/// A run whose fleet is still alive (its `fleet.lock` is held) is skipped. A
/// group is killed only if the process with the recorded pid still has the
/// recorded start time (`/proc/<pid>/stat`, field 22), so a pid reused by a
/// process the run did not start is never touched. Returns the number of
/// process groups killed whose leader was still running (a leader that is
/// already a zombie has its group signalled but is not counted), after waiting
/// up to 2 s for those leaders to be gone or zombies.
std::size_t sweep_leftover_processes(const std::filesystem::path& runs_root);

}  // namespace loveless::stacks
