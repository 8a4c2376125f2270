#include "worker_log.hpp"

#include <string>

#include <unistd.h>

namespace loveless::worker {

void log_line(std::string_view message) noexcept {
  try {
    std::string line = "loveless-worker: ";
    line.append(message);
    line.push_back('\n');
    // A short write to stderr is not worth retrying: the line is diagnostic only.
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line.data(), line.size());
  } catch (...) {  // NOLINT(bugprone-empty-catch): logging must not fail the worker
  }
}

}  // namespace loveless::worker
