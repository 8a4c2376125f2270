#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace loveless::stacks {

/// A runs directory that is not safe to use (another user owns it, others can
/// write to it, it is a symbolic link or not a directory). The message names
/// the directory and says what to do.
class UnsafeRunsRoot : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// How many run directories a runs directory keeps when nothing says otherwise.
inline constexpr std::size_t kDefaultKeptRuns = 20;

/// The file that marks a directory as a run directory (`RunDirectory`); a
/// live run holds an flock on it.
inline constexpr const char* kRunMarker = "run.lock";

/// Where run directories live unless a caller names a root:
/// `$LOVELESS_RUNS_DIR` when set, else `<TMPDIR or /tmp>/loveless-runs-<uid>`,
/// one per user, so users of one machine never share it.
std::filesystem::path default_runs_root();

/// `$LOVELESS_KEEP_RUNS` when set, else `kDefaultKeptRuns`. Throws
/// `std::invalid_argument` (naming the variable) unless it is a positive integer.
std::size_t kept_runs_from_environment();

/// Parses a count of run directories to keep: a positive integer, or throws
/// `std::invalid_argument` naming `what` (a flag or a variable) and the text.
std::size_t parse_kept_runs(const std::string& what, const std::string& text);

/// Creates `root` (mode 0700; missing parents as `create_directories` makes
/// them) or checks the existing one. Throws `UnsafeRunsRoot` for a root that
/// is a symbolic link or not a directory, that this user (the effective uid)
/// does not own, or that its group or others may write to.
void secure_runs_root(const std::filesystem::path& root);

/// A run directory `<root>/<run_id>` (mode 0700) marked as one and held as in
/// use while this object lives: its `run.lock` is created, its modification
/// time set to now (the run's start, by which `prune_runs` orders runs) and
/// flock'ed. Destroying it releases the lock; the directory stays.
class RunDirectory {
 public:
  /// Throws `std::runtime_error` if the directory cannot be made or another
  /// live run holds it.
  RunDirectory(const std::filesystem::path& root, const std::string& run_id);
  ~RunDirectory();
  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
  int lock_fd_ = -1;
};

/// Removes the run directory `run_dir` if nothing but its marker is in it and
/// no run holds it (a run that never got going). True if it was removed.
bool remove_if_unused(const std::filesystem::path& run_dir);

/// Removes the run directories of `root` beyond the newest `keep` (newest by
/// their marker's modification time). Only directories with a `run.lock`
/// marker count; anything else (files, links, other directories) is never
/// touched, nor is a run directory whose run still holds its lock (or whose
/// process fleet still holds `pids/fleet.lock`). Returns the removed paths;
/// never throws (a directory that cannot be removed stays).
std::vector<std::filesystem::path> prune_runs(const std::filesystem::path& root, std::size_t keep);

}  // namespace loveless::stacks
