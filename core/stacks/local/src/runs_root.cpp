#include "loveless/stacks/runs_root.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace loveless::stacks {
namespace {

std::string user_name(uid_t uid) {
  passwd entry{};
  passwd* found = nullptr;
  char buffer[1024];
  if (::getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
    return std::string(found->pw_name) + " (uid " + std::to_string(uid) + ")";
  }
  return "uid " + std::to_string(uid);
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

constexpr const char* kChooseAnother =
    "set LOVELESS_RUNS_DIR to a directory of your own (or TMPDIR, under which Loveless "
    "makes loveless-runs-<uid>)";

/// True if a live process holds an flock on `file`.
bool lock_held(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // also releases the lock if this probe took it
  return held;
}

struct RunEntry {
  std::filesystem::path path;
  std::filesystem::file_time_type started;
};

}  // namespace

std::filesystem::path default_runs_root() {
  if (const char* chosen = std::getenv("LOVELESS_RUNS_DIR"); chosen != nullptr && *chosen != '\0') {
    return chosen;
  }
  const char* tmpdir = std::getenv("TMPDIR");
  const std::filesystem::path base = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
  return base / ("loveless-runs-" + std::to_string(::geteuid()));
}

std::size_t parse_kept_runs(const std::string& what, const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 9 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const auto value = digits ? std::stoul(text) : 0UL;
  if (value < 1) {
    throw std::invalid_argument(
        what + " takes a positive integer (run directories to keep), not '" + text + "'");
  }
  return value;
}

std::size_t kept_runs_from_environment() {
  const char* text = std::getenv("LOVELESS_KEEP_RUNS");
  if (text == nullptr || *text == '\0') return kDefaultKeptRuns;
  return parse_kept_runs("LOVELESS_KEEP_RUNS", text);
}

void secure_runs_root(const std::filesystem::path& root) {
  std::error_code error;
  if (root.has_parent_path()) std::filesystem::create_directories(root.parent_path(), error);
  if (::mkdir(root.c_str(), 0700) == 0) {
    // The umask may only have taken bits away; make the mode exactly 0700.
    ::chmod(root.c_str(), 0700);
    return;
  }
  if (errno != EEXIST) {
    throw UnsafeRunsRoot("cannot create the runs directory " + root.string() + ": " +
                         std::strerror(errno) + "; " + kChooseAnother);
  }
  struct stat status {};
  if (::lstat(root.c_str(), &status) != 0) {
    throw UnsafeRunsRoot("cannot inspect the runs directory " + root.string() + ": " +
                         std::strerror(errno) + "; " + kChooseAnother);
  }
  if (S_ISLNK(status.st_mode)) {
    throw UnsafeRunsRoot("the runs directory " + root.string() +
                         " is a symbolic link, which whoever made it can point anywhere; remove "
                         "it, or " +
                         kChooseAnother);
  }
  if (!S_ISDIR(status.st_mode)) {
    throw UnsafeRunsRoot("the runs directory " + root.string() +
                         " is not a directory; remove it, or " + kChooseAnother);
  }
  if (status.st_uid != ::geteuid()) {
    throw UnsafeRunsRoot("the runs directory " + root.string() + " belongs to " +
                         user_name(status.st_uid) + ", not to you (" + user_name(::geteuid()) +
                         "), so its owner could read your runs or change them; " + kChooseAnother);
  }
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw UnsafeRunsRoot("the runs directory " + root.string() + " is writable by others (mode " +
                         octal_mode(status.st_mode) +
                         "), who could change your runs; run chmod 700 " + root.string() + ", or " +
                         kChooseAnother);
  }
}

RunDirectory::RunDirectory(const std::filesystem::path& root, const std::string& run_id)
    : path_(root / run_id) {
  if (::mkdir(path_.c_str(), 0700) != 0 && errno != EEXIST) {
    throw std::runtime_error("cannot create the run directory " + path_.string() + ": " +
                             std::strerror(errno));
  }
  const auto marker = path_ / kRunMarker;
  lock_fd_ = ::open(marker.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock_fd_ < 0) {
    throw std::runtime_error("cannot create " + marker.string() + ": " + std::strerror(errno));
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw std::runtime_error("the run directory " + path_.string() +
                             " is in use by another run; give each run its own run id");
  }
  ::futimens(lock_fd_, nullptr);  // the run starts now
}

RunDirectory::~RunDirectory() { ::close(lock_fd_); }

bool remove_if_unused(const std::filesystem::path& run_dir) {
  std::error_code error;
  auto entries = std::filesystem::directory_iterator(run_dir, error);
  if (error) return false;
  for (const auto& entry : entries) {
    if (entry.path().filename() != kRunMarker) return false;  // the run left something
  }
  if (lock_held(run_dir / kRunMarker)) return false;
  std::filesystem::remove(run_dir / kRunMarker, error);
  return std::filesystem::remove(run_dir, error);
}

std::vector<std::filesystem::path> prune_runs(const std::filesystem::path& root, std::size_t keep) {
  std::vector<RunEntry> runs;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
    std::error_code unreadable;
    if (entry.is_symlink(unreadable) || !entry.is_directory(unreadable)) continue;
    const auto marker = entry.path() / kRunMarker;
    const auto status = std::filesystem::symlink_status(marker, unreadable);
    if (unreadable || !std::filesystem::is_regular_file(status)) continue;
    const auto started = std::filesystem::last_write_time(marker, unreadable);
    if (unreadable) continue;
    runs.push_back({entry.path(), started});
  }
  std::sort(runs.begin(), runs.end(), [](const RunEntry& a, const RunEntry& b) {
    return a.started != b.started ? a.started > b.started : a.path.filename() > b.path.filename();
  });
  std::vector<std::filesystem::path> removed;
  for (std::size_t index = keep; index < runs.size(); ++index) {
    const auto& run = runs[index].path;
    if (lock_held(run / kRunMarker) || lock_held(run / "pids" / "fleet.lock")) continue;
    std::error_code failed;
    std::filesystem::remove_all(run, failed);
    if (!failed) removed.push_back(run);
  }
  return removed;
}

}  // namespace loveless::stacks
