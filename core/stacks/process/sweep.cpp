#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "loveless/stacks/process_fleet.hpp"

#include "pid_file.hpp"
#include "proc_stat.hpp"
#include <signal.h>

namespace loveless::stacks {

namespace {

constexpr std::chrono::seconds kGoneWait{2};

bool is_zombie(const process::ProcStat& stat) { return stat.state == 'Z' || stat.state == 'X'; }

// The recorded process, if it is still the one the run started: same pid,
// same start time, still leading its group. A zombie leader counts: it still
// holds the pgid, so whatever else is in its group is the run's.
std::optional<process::ProcStat> still_ours(const process::PidRecord& record) {
  auto stat = process::read_proc_stat(record.pgid);
  if (stat && stat->start_time == record.start_time && stat->pgid == record.pgid) {
    return stat;
  }
  return std::nullopt;
}

bool gone_or_zombie(pid_t pid) {
  const auto stat = process::read_proc_stat(pid);
  return !stat || is_zombie(*stat);
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
      const auto leader = record ? still_ours(*record) : std::nullopt;
      // A zombie leader (its worker died with the owner) is not counted: the
      // signal only reaches what it may have forked.
      if (leader && ::killpg(record->pgid, SIGKILL) == 0 && !is_zombie(*leader)) {
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
