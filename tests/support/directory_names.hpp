#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <system_error>

namespace loveless::testing {

/// The names of the entries of `dir` (files and directories, not recursive);
/// empty when `dir` does not exist.
inline std::set<std::string> names_in(const std::filesystem::path& dir) {
  std::set<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

}  // namespace loveless::testing
