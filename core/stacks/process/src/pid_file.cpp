#include "pid_file.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace loveless::stacks::process {

namespace {

constexpr const char* kLockName = "fleet.lock";
constexpr std::chrono::milliseconds kProbeWait{200};

}  // namespace

void write_pid_file(const std::filesystem::path& file, PidRecord record) {
  auto partial = file;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << record.pgid << ' ' << record.start_time << '\n';
    if (!out.flush()) {
      throw std::runtime_error("cannot write pid file " + partial.string());
    }
  }
  std::error_code error;
  std::filesystem::rename(partial, file, error);
  if (error) {
    throw std::runtime_error("cannot write pid file " + file.string() + ": " + error.message());
  }
}

std::optional<PidRecord> read_pid_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  PidRecord record;
  if (!(in >> record.pgid >> record.start_time) || record.pgid <= 1) {
    return std::nullopt;
  }
  return record;
}

void remove_pid_file(const std::filesystem::path& file) noexcept {
  std::error_code ignored;
  std::filesystem::remove(file, ignored);
}

RunLock::RunLock(const std::filesystem::path& pids_dir) {
  const auto path = pids_dir / kLockName;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  // Another run's sweep probes the lock (run_lock_held) for a moment at its
  // start; only a lock still held after a while is a live fleet.
  const auto deadline = std::chrono::steady_clock::now() + kProbeWait;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    throw std::runtime_error("another live fleet uses the run directory of " + path.string() +
                             "; give each run its own run_dir");
  }
}

RunLock::~RunLock() { ::close(fd_); }

bool run_lock_held(const std::filesystem::path& pids_dir) {
  const auto path = pids_dir / kLockName;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // also releases the lock if this probe took it
  return held;
}

}  // namespace loveless::stacks::process
