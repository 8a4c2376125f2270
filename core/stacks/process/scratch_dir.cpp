#include "scratch_dir.hpp"

#include <vector>

namespace loveless::stacks::process {

std::size_t wipe_directory_contents(const std::filesystem::path& dir) {
  // Collect first: removing while iterating a directory is unspecified.
  std::vector<std::filesystem::path> entries;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    entries.push_back(entry.path());
  }
  for (const auto& entry : entries) {
    std::filesystem::remove_all(entry);
  }
  return entries.size();
}

}  // namespace loveless::stacks::process
