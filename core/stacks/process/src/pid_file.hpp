#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include <sys/types.h>

namespace loveless::stacks::process {

/// What a pid file records: enough to find a worker's process group after a
/// crash and to be sure it is still the process the run started.
struct PidRecord {
  pid_t pgid = 0;
  std::uint64_t start_time = 0;  ///< `/proc/<pgid>/stat` field 22
};

/// Writes "<pgid> <start time>\n" atomically (a sweep never reads half a file).
/// Throws `std::runtime_error` if the file cannot be written.
void write_pid_file(const std::filesystem::path& file, PidRecord record);
/// Nothing if the file is missing or malformed.
std::optional<PidRecord> read_pid_file(const std::filesystem::path& file);
void remove_pid_file(const std::filesystem::path& file) noexcept;

/// Holds `<pids_dir>/fleet.lock` (flock) while a fleet lives, so a sweep can
/// tell a live run from a crashed one; the kernel drops the lock when the
/// owner dies, however it dies.
class RunLock {
 public:
  /// Throws `std::runtime_error` if the lock file cannot be opened or is
  /// still held after 200 ms (a sweep's probe holds it for a moment).
  explicit RunLock(const std::filesystem::path& pids_dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

/// True if a live fleet holds the lock of `pids_dir`.
bool run_lock_held(const std::filesystem::path& pids_dir);

}  // namespace loveless::stacks::process
