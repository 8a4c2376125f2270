#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "loveless/stacks/process_fleet.hpp"

#include "marked_processes.hpp"
#include "pid_file.hpp"
#include "proc_stat.hpp"
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

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

// What a worker forked and left behind when the worker itself (the group's
// leader) died with the runner: the live processes still in the recorded
// group, started no earlier than the leader, carrying the run's id (unless
// `run_id` is empty). The kernel does not reuse a number as a pid while a
// group of that id exists, so the group is the worker's; the start time and
// the run id rule out the rest.
std::vector<pid_t> orphans_of(const process::PidRecord& record, const std::string& run_id) {
  std::vector<pid_t> orphans;
  process::for_each_live_process([&](pid_t pid, const process::ProcStat& stat) {
    if (stat.pgid == record.pgid && stat.start_time >= record.start_time &&
        (run_id.empty() || process::environment_holds(pid, {"LOVELESS_RUN_ID=" + run_id}))) {
      orphans.push_back(pid);
    }
  });
  return orphans;
}

bool gone_or_zombie(pid_t pid) {
  const auto stat = process::read_proc_stat(pid);
  return !stat || is_zombie(*stat);
}

// Written by this user: a runs root under a shared /tmp may hold other
// users' runs, which are theirs to sweep.
bool written_by_us(const std::filesystem::path& file) {
  struct stat status {};
  return ::stat(file.c_str(), &status) == 0 && status.st_uid == ::geteuid();
}

}  // namespace

std::size_t sweep_leftover_processes(const std::filesystem::path& runs_root) {
  return sweep_leftover_process_groups(runs_root).size();
}

std::vector<pid_t> sweep_leftover_process_groups(const std::filesystem::path& runs_root) {
  std::error_code error;
  if (!std::filesystem::is_directory(runs_root, error)) {
    return {};
  }
  std::vector<pid_t> killed;
  for (const auto& run : std::filesystem::directory_iterator(runs_root, error)) {
    const auto pids_dir = run.path() / "pids";
    if (!std::filesystem::is_directory(pids_dir, error) || process::run_lock_held(pids_dir)) {
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(pids_dir, error)) {
      if (entry.path().extension() != ".pid" || !written_by_us(entry.path())) {
        continue;
      }
      const auto record = process::read_pid_file(entry.path());
      const auto leader = record ? still_ours(*record) : std::nullopt;
      if (leader && !is_zombie(*leader)) {
        if (::killpg(record->pgid, SIGKILL) == 0) killed.push_back(record->pgid);
      } else if (leader) {
        // The worker died with its owner but is not reaped yet (a pid 1 that
        // does not reap): the group is certainly the run's; what it forked is
        // what the signal ends.
        const auto members = orphans_of(*record, {});
        if (::killpg(record->pgid, SIGKILL) == 0) {
          killed.insert(killed.end(), members.begin(), members.end());
        }
      } else if (record && !process::read_proc_stat(record->pgid)) {
        for (const pid_t orphan : orphans_of(*record, run.path().filename().string())) {
          if (::kill(orphan, SIGKILL) == 0) killed.push_back(orphan);
        }
      }
      process::remove_pid_file(entry.path());
    }
    // What left its worker's group (a daemon started with setsid) carries the
    // run's id too; the run is over (its lock is free), so it goes as well.
    for (const pid_t escaped :
         process::marked_processes({"LOVELESS_RUN_ID=" + run.path().filename().string()}, 0)) {
      // Not what was just ended above (a group's members take a moment to
      // die): each process is counted once.
      const auto stat = process::read_proc_stat(escaped);
      const auto ended = [&](pid_t id) {
        return std::find(killed.begin(), killed.end(), id) != killed.end();
      };
      if (!stat || ended(escaped) || ended(stat->pgid)) continue;
      if (::kill(escaped, SIGKILL) == 0) killed.push_back(escaped);
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
  return killed;
}

}  // namespace loveless::stacks
