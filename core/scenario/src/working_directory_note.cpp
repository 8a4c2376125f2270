#include "working_directory_note.hpp"

#include <algorithm>

namespace loveless::scenario::detail {

namespace {

/// `path` is `dir` or below it (both canonical).
bool within(const std::filesystem::path& path, const std::filesystem::path& dir) {
  const auto relative = path.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::optional<std::string> hidden_working_directory_warning(
    const std::filesystem::path& working_directory,
    const std::vector<std::filesystem::path>& visible) {
  if (!within(working_directory, "/tmp")) return std::nullopt;
  if (std::any_of(visible.begin(), visible.end(), [&](const std::filesystem::path& dir) {
        return within(working_directory, dir);
      })) {
    return std::nullopt;
  }
  return "the working directory " + working_directory.string() +
         " is under /tmp, which each process worker has replaced by its own: workers start "
         "in it but cannot find it by its path (a script named by a relative path: node's "
         "\"Cannot find module\", pyenv's \"cannot change working directory\"); give it to "
         "them with s.read_only_directory(std::filesystem::current_path(), \"APP_DIR\") or "
         "run the suite from outside /tmp (docs/bring-your-own-worker.md)";
}

}  // namespace loveless::scenario::detail
