#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "loveless/stacks/local_stack.hpp"

namespace loveless::stacks {

/// Crash recovery at the start of a run: ends what earlier runs of this user
/// left when their runner died without shutting its fleet down (SIGKILL, a
/// crash): the worker process groups recorded in
/// `<runs_root>/<run>/pids/*.pid` (`sweep_leftover_process_groups`: only runs
/// whose fleet lock is free, only processes whose start time still matches
/// the record), and, on the docker platform, the containers labelled with an
/// owner process that is gone (`sweep_leftover_containers`). Returns one line
/// per kind of thing swept, for the run's console, e.g. `swept 3 worker
/// processes left by an earlier run (pid 4242, 4250, 4261)`; none when there
/// was nothing. Never throws: a Docker engine that cannot be reached is left
/// for the fleet to report.
std::vector<std::string> sweep_leftovers(const std::filesystem::path& runs_root,
                                         FleetPlatform platform);

}  // namespace loveless::stacks
