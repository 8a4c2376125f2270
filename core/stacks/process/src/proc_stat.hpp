#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include <sys/types.h>

namespace loveless::stacks::process {

/// The fields of `/proc/<pid>/stat` the fleet relies on.
struct ProcStat {
  char state = '?';  ///< R, S, D, T (stopped), Z (zombie), ...
  pid_t pgid = 0;
  /// Clock ticks after boot (field 22): with the pid, identifies one process
  /// across pid reuse.
  std::uint64_t start_time = 0;
};

/// Nothing if the process does not exist (or vanished while being read).
std::optional<ProcStat> read_proc_stat(pid_t pid);

/// Calls `visit(pid, stat)` for every process in /proc but this one that is
/// neither a zombie nor gone.
void for_each_live_process(const std::function<void(pid_t, const ProcStat&)>& visit);

}  // namespace loveless::stacks::process
