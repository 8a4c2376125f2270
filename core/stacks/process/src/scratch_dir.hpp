#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

namespace loveless::stacks::process {

/// Removes everything inside `dir` but keeps `dir` itself: a worker's TMPDIR
/// must stay valid while it lives. Also keeps `mount_points` (relative to
/// `dir`) and the directories leading to them, though not what else is in
/// those: a worker's private /tmp has its mounts there, and removing a mount
/// point would unmount it in the worker's namespace. Returns the number of
/// entries removed at the top level and inside those kept directories.
/// Throws `std::filesystem::filesystem_error` if an entry cannot be removed
/// (the directory is then partly wiped).
std::size_t wipe_directory_contents(const std::filesystem::path& dir,
                                    const std::vector<std::filesystem::path>& mount_points = {});

}  // namespace loveless::stacks::process
