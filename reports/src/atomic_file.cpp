#include "loveless/reports/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "loveless/reports/reporter.hpp"

#include <unistd.h>

namespace loveless::reports {
namespace fs = std::filesystem;

void write_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  const auto dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const auto fail = [&](const std::string& reason) {
    throw ReportWriteError("cannot write the report " + path.string() + ": " + reason +
                           " (an earlier report there is unchanged)");
  };
  std::error_code error;
  // Renaming over /dev/null or a fifo would replace it, not write to it.
  if (fs::exists(fs::symlink_status(path, error)) &&
      !fs::is_regular_file(fs::symlink_status(path, error))) {
    fail("it exists and is not a regular file");
  }
  fs::create_directories(dir, error);
  if (error) fail("cannot create the directory " + dir.string() + ": " + error.message());
  // The pid keeps two suites writing into one directory from sharing a temporary.
  const auto temporary =
      dir / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
  const auto discard = [&] {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  };
  try {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) fail("cannot create " + temporary.string() + ": " + std::strerror(errno));
    write(file);
    file.flush();
    file.close();
    if (!file) fail("writing " + temporary.string() + " failed: " + std::strerror(errno));
  } catch (const ReportWriteError&) {
    discard();
    throw;
  } catch (const std::exception& e) {
    discard();
    fail(std::string("the report could not be rendered: ") + e.what());
  }
  fs::rename(temporary, path, error);
  if (error) {
    discard();
    fail("cannot rename the temporary into place: " + error.message());
  }
}

void write_atomically(const fs::path& path, std::string_view contents) {
  write_atomically(path, [&](std::ostream& out) { out << contents; });
}

}  // namespace loveless::reports
