#include "scratch_dir.hpp"

namespace loveless::stacks::process {

namespace {

// `kept` relative to `dir`: empty when `dir` is itself a mount point, else
// the mount points below it.
std::size_t wipe(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& kept) {
  // Collect first: removing while iterating a directory is unspecified.
  std::vector<std::filesystem::path> entries;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    entries.push_back(entry.path());
  }
  std::size_t removed = 0;
  for (const auto& entry : entries) {
    const auto name = entry.filename();
    std::vector<std::filesystem::path> below;
    bool is_mount_point = false;
    for (const auto& point : kept) {
      if (*point.begin() != name) continue;
      const auto rest = point.lexically_relative(name);
      if (rest == ".") {
        is_mount_point = true;
      } else {
        below.push_back(rest);
      }
    }
    if (is_mount_point) continue;
    if (!below.empty() && std::filesystem::is_directory(std::filesystem::symlink_status(entry))) {
      removed += wipe(entry, below);
      continue;
    }
    std::filesystem::remove_all(entry);
    ++removed;
  }
  return removed;
}

}  // namespace

std::size_t wipe_directory_contents(const std::filesystem::path& dir,
                                    const std::vector<std::filesystem::path>& mount_points) {
  return wipe(dir, mount_points);
}

}  // namespace loveless::stacks::process
