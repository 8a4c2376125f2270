#pragma once

#include <cstddef>
#include <filesystem>

namespace loveless::stacks::process {

/// Removes everything inside `dir` but keeps `dir` itself: a worker's TMPDIR
/// must stay valid while it lives. Returns the number of top-level entries
/// removed. Throws `std::filesystem::filesystem_error` if an entry cannot be
/// removed (the directory is then partly wiped).
std::size_t wipe_directory_contents(const std::filesystem::path& dir);

}  // namespace loveless::stacks::process
