#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace loveless::stacks::process {

/// True when the environment `pid` was started with (`/proc/<pid>/environ`)
/// holds every entry of `marks` (each `NAME=value`). False when it cannot be
/// read (gone, another user's).
bool environment_holds(pid_t pid, const std::vector<std::string>& marks);

/// Every live process (no zombie) other than this one whose environment
/// holds every entry of `marks` and that started at or after `started_at`
/// (clock ticks after boot, `ProcStat::start_time`). The fleet marks each
/// worker with `LOVELESS_RUN_ID` and `LOVELESS_WORKER_NAME`, and whatever it
/// forks inherits them: this finds what left the worker's process group
/// (`setsid`, a double fork), which killing the group misses. A process
/// that cleared its environment is not found. Empty `marks` find nothing.
std::vector<pid_t> marked_processes(const std::vector<std::string>& marks,
                                    std::uint64_t started_at);

}  // namespace loveless::stacks::process
