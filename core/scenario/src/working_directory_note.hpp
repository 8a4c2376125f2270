#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace loveless::scenario::detail {

/// Process workers start in the runner's working directory, but each has
/// its own /tmp (docs/stacks.md): one under /tmp is there for them as their
/// current directory, not by its path, so a worker that looks its directory
/// up (node resolving a relative script, pyenv's shims changing to $PWD)
/// fails at start with a message that names neither cause. Returns the
/// runner's warning for `working_directory` (canonical), or nullopt when it
/// is not under /tmp or one of `visible` (directories the workers get
/// read-only, at the same path) holds it.
std::optional<std::string> hidden_working_directory_warning(
    const std::filesystem::path& working_directory,
    const std::vector<std::filesystem::path>& visible);

}  // namespace loveless::scenario::detail
