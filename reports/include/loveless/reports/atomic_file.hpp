#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace loveless::reports {

/// Writes `path` whole or not at all: `write` fills a temporary file in the
/// same directory (`.<name>.tmp-<pid>`), which is flushed, closed and renamed
/// over `path` (rename(2) is atomic within a file system). Readers see the
/// previous file or the new one, never a half-written one.
///
/// Throws `ReportWriteError` naming `path` when the directory cannot be
/// created, `path` exists but is no regular file (`/dev/null`, a directory:
/// a rename would replace it), the temporary cannot be written, `write`
/// throws, or the rename fails; the temporary is removed and an existing `path` is left unchanged.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(std::ostream&)>& write);

/// `write_atomically` with fixed contents.
void write_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace loveless::reports
