#include <signal.h>

#include <chrono>
#include <thread>
#include <vector>

#include "loveless/stacks/process_fleet.hpp"
#include "pid_file.hpp"
#include "proc_stat.hpp"

namespace loveless::stacks {

namespace {

constexpr std::chrono::seconds kGoneWait{2};

// The recorded process, if it is still the one the run started: same pid,
// same start time, still leading its group. A zombie counts: it still holds
// the pgid, so its group's survivors are the run's.
bool still_ours(const process::PidRecord& record) {
  const auto stat = process::read_proc_stat(record.pgid);
  return stat && stat->start_time == record.start_time && stat->pgid == record.pgid;
}

bool gone_or_zombie(pid_t pid) {
  const auto stat = process::read_proc_stat(pid);
  return !stat || stat->state == 'Z' || stat->state == 'X';
}

}  // namespace

std::size_t sweep_leftover_processes(const std::filesystem::path& runs_root) {
  std::error_code error;
  if (!std::filesystem::is_directory(runs_root, error)) {
    return 0;
  }
  std::vector<pid_t> killed;
  for (const auto& run : std::filesystem::directory_iterator(runs_root, error)) {
    const auto pids_dir = run.path() / "pids";
    if (!std::filesystem::is_directory(pids_dir, error) || process::run_lock_held(pids_dir)) {
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(pids_dir, error)) {
      if (entry.path().extension() != ".pid") {
        continue;
      }
      const auto record = process::read_pid_file(entry.path());
      if (record && still_ours(*record) && ::killpg(record->pgid, SIGKILL) == 0) {
        killed.push_back(record->pgid);
      }
      process::remove_pid_file(entry.path());
    }
  }
  // Orphans are reaped by init (or stay zombies under a pid 1 that does not
  // reap); either way they make no progress once they are zombies.
  const auto deadline = std::chrono::steady_clock::now() + kGoneWait;
  for (const pid_t pid : killed) {
    while (!gone_or_zombie(pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return killed.size();
}

}  // namespace loveless::stacks
