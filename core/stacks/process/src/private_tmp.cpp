#include "private_tmp.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string_view>
#include <system_error>

#include "loveless/stacks/process_fleet.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

namespace loveless::stacks::process {

namespace {

constexpr const char* kTmp = "/tmp";

bool is_under(const std::filesystem::path& path, const std::filesystem::path& dir) {
  const auto relative = path.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != ".." && relative != ".";
}

// --- async-signal-safe helpers for the child -------------------------------

void put(int fd, const char* text) noexcept {
  const auto length = std::strlen(text);
  while (::write(fd, text, length) < 0 && errno == EINTR) {
  }
}

// `value` in decimal into `out` (at least 12 bytes), NUL-terminated.
void format_int(int value, char* out) noexcept {
  char digits[12];
  int count = 0;
  unsigned magnitude = value < 0 ? 0U - static_cast<unsigned>(value) : static_cast<unsigned>(value);
  do {
    digits[count++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  int at = 0;
  if (value < 0) out[at++] = '-';
  while (count > 0) out[at++] = digits[--count];
  out[at] = '\0';
}

bool fail(int report_fd, const char* step, const char* path) noexcept {
  const int error = errno;
  char number[12];
  format_int(error, number);
  put(report_fd, "loveless: cannot give the worker a private /tmp: ");
  put(report_fd, step);
  if (*path != '\0') {
    put(report_fd, " ");
    put(report_fd, path);
  }
  put(report_fd, ": errno ");
  put(report_fd, number);
  put(report_fd, "\n");
  return false;
}

bool write_file(const char* path, const char* text) noexcept {
  const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const auto length = static_cast<ssize_t>(std::strlen(text));
  const bool written = ::write(fd, text, static_cast<std::size_t>(length)) == length;
  ::close(fd);
  return written;
}

// The flags a bind mount's remount must keep: in a user namespace the kernel
// refuses a remount that would clear one the outer namespace set (locked).
constexpr unsigned long kKeptFlags =
    MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME;

// --- the probe --------------------------------------------------------------

// Runs the real set-up in a child on a throw-away scratch and data directory,
// then checks from inside that /tmp is the scratch and the data is read-only.
std::string try_private_tmp(bool user_namespace) {
  std::string pattern = (std::filesystem::temp_directory_path() / "loveless-probe-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return std::string("cannot create a probe directory: ") + std::strerror(errno);
  }
  const std::filesystem::path root = pattern;
  std::string result;
  try {
    std::filesystem::create_directories(root / "data");
    std::filesystem::create_directories(root / "scratch");
    const auto plan = plan_private_tmp(root / "scratch", {{root / "data", root / "data", true}},
                                       "/bin/true", user_namespace);
    create_mount_points(plan);
    const ChildMounts child_mounts(plan);
    const auto data_file = (std::filesystem::canonical(root / "data") / "written").string();
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category());
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (!child_mounts.enter(report[1])) ::_exit(1);
      const int tmp_fd = ::open("/tmp/probe", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (tmp_fd < 0) {
        fail(report[1], "write", "/tmp/probe");
        ::_exit(1);
      }
      ::close(tmp_fd);
      const int data_fd = ::open(data_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (data_fd >= 0 || errno != EROFS) {
        put(report[1], "a read-only bind mount accepted a write\n");
        ::_exit(1);
      }
      ::_exit(0);
    }
    ::close(report[1]);
    std::string message;
    char buffer[256];
    for (ssize_t got = 0; (got = ::read(report[0], buffer, sizeof buffer)) != 0;) {
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) break;
      message.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(report[0]);
    int status = 0;
    if (pid < 0) {
      result = std::string("cannot fork: ") + std::strerror(errno);
    } else if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
               WEXITSTATUS(status) != 0) {
      while (!message.empty() && message.back() == '\n') message.pop_back();
      result = message.empty() ? "the probe process failed" : message;
    } else if (!std::filesystem::exists(root / "scratch" / "probe")) {
      result = "a write to /tmp did not land in the scratch directory";
    }
  } catch (const std::exception& e) {
    result = e.what();
  }
  std::error_code ignored;
  std::filesystem::remove_all(root, ignored);
  return result;
}

PrivateTmpSupport probe() {
  PrivateTmpSupport support;
  const auto as_is = try_private_tmp(false);
  if (as_is.empty()) {
    support.available = true;
    return support;
  }
  const auto in_user_namespace = try_private_tmp(true);
  if (in_user_namespace.empty()) {
    support.available = true;
    support.user_namespace = true;
    return support;
  }
  constexpr std::string_view kPrefix = "loveless: cannot give the worker a private /tmp: ";
  const auto strip = [&](const std::string& text) {
    return text.starts_with(kPrefix) ? text.substr(kPrefix.size()) : text;
  };
  support.problem =
      "this machine cannot give process workers a private /tmp (mount namespace: " + strip(as_is) +
      "; user namespace: " + strip(in_user_namespace) +
      "); give the runner CAP_SYS_ADMIN (run as root; in a container, --cap-add SYS_ADMIN) or "
      "use --stack docker; workers that write /tmp directly are not wiped or "
      "audited, and read-only mounts are not enforced";
  return support;
}

}  // namespace

PrivateTmpPlan plan_private_tmp(const std::filesystem::path& scratch,
                                const std::vector<BindMount>& mounts,
                                const std::filesystem::path& executable, bool user_namespace) {
  PrivateTmpPlan plan;
  plan.user_namespace = user_namespace;
  std::filesystem::create_directories(scratch);
  plan.scratch = std::filesystem::canonical(scratch);
  std::vector<BindMount> candidates = mounts;
  std::error_code error;
  const auto real_executable = std::filesystem::canonical(executable, error);
  if (!error && is_under(real_executable, kTmp)) {
    candidates.push_back({real_executable, real_executable, true});
  }
  for (const auto& candidate : candidates) {
    const auto path = std::filesystem::canonical(candidate.host_path);
    // Outside /tmp a read-write mount is already there as it is.
    if (!is_under(path, kTmp) && !candidate.read_only) continue;
    plan.mounts.push_back({path, path, candidate.read_only});
  }
  std::stable_sort(plan.mounts.begin(), plan.mounts.end(), [](const auto& a, const auto& b) {
    return std::distance(a.host_path.begin(), a.host_path.end()) <
           std::distance(b.host_path.begin(), b.host_path.end());
  });
  for (const auto& mount : plan.mounts) {
    if (!is_under(mount.host_path, kTmp)) continue;
    // Inside another mount the mount point is that mount's own directory.
    const bool nested = std::any_of(plan.mounts.begin(), plan.mounts.end(), [&](const auto& outer) {
      return is_under(mount.host_path, outer.host_path);
    });
    if (!nested) plan.mount_points.push_back(mount.host_path.lexically_relative(kTmp));
  }
  return plan;
}

void create_mount_points(const PrivateTmpPlan& plan) {
  std::filesystem::create_directories(plan.scratch);
  for (const auto& relative : plan.mount_points) {
    const auto point = plan.scratch / relative;
    const auto host = std::filesystem::path(kTmp) / relative;
    if (std::filesystem::is_directory(host)) {
      std::filesystem::create_directories(point);
    } else {
      std::filesystem::create_directories(point.parent_path());
      if (!std::filesystem::exists(point)) std::ofstream{point};
    }
  }
}

ChildMounts::ChildMounts(const PrivateTmpPlan& plan)
    : scratch_(plan.scratch.string()), user_namespace_(plan.user_namespace) {
  strings_.reserve(plan.mounts.size());
  for (const auto& mount : plan.mounts) strings_.push_back(mount.host_path.string());
  for (std::size_t i = 0; i < plan.mounts.size(); ++i) {
    mounts_.push_back({strings_[i].c_str(), plan.mounts[i].read_only});
  }
  fds_.assign(mounts_.size(), -1);
  uid_map_ = std::to_string(::getuid()) + " " + std::to_string(::getuid()) + " 1\n";
  gid_map_ = std::to_string(::getgid()) + " " + std::to_string(::getgid()) + " 1\n";
}

bool ChildMounts::enter(int report_fd) const noexcept {
  if (user_namespace_) {
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
      return fail(report_fd, "unshare(CLONE_NEWUSER|CLONE_NEWNS)", "");
    }
    // Only the caller's own ids: the worker keeps its uid and gid (and,
    // after exec, no capabilities).
    if (!write_file("/proc/self/setgroups", "deny")) {
      return fail(report_fd, "write", "/proc/self/setgroups");
    }
    if (!write_file("/proc/self/uid_map", uid_map_.c_str())) {
      return fail(report_fd, "write", "/proc/self/uid_map");
    }
    if (!write_file("/proc/self/gid_map", gid_map_.c_str())) {
      return fail(report_fd, "write", "/proc/self/gid_map");
    }
  } else if (::unshare(CLONE_NEWNS) != 0) {
    return fail(report_fd, "unshare(CLONE_NEWNS)", "");
  }
  // Nothing the worker mounts, and none of the binds below, reaches the host.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return fail(report_fd, "make private", "/");
  }
  // Held before /tmp is covered: the run directory (and so the scratch, the
  // durable directories, the inputs) is often under /tmp.
  for (std::size_t i = 0; i < mounts_.size(); ++i) {
    fds_[i] = ::open(mounts_[i].path, O_PATH | O_CLOEXEC);
    if (fds_[i] < 0) return fail(report_fd, "open", mounts_[i].path);
  }
  if (::mount(scratch_.c_str(), "/tmp", nullptr, MS_BIND, nullptr) != 0) {
    return fail(report_fd, "bind over /tmp", scratch_.c_str());
  }
  for (std::size_t i = 0; i < mounts_.size(); ++i) {
    char source[32] = "/proc/self/fd/";
    format_int(fds_[i], source + std::strlen(source));
    const char* target = mounts_[i].path;
    if (::mount(source, target, nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      return fail(report_fd, "bind", target);
    }
    ::close(fds_[i]);
    if (!mounts_[i].read_only) continue;
    struct statfs info {};
    if (::statfs(target, &info) != 0) return fail(report_fd, "statfs", target);
    const auto kept = static_cast<unsigned long>(info.f_flags) & kKeptFlags;
    if (::mount(nullptr, target, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | kept, nullptr) != 0) {
      return fail(report_fd, "remount read-only", target);
    }
  }
  return true;
}

}  // namespace loveless::stacks::process

namespace loveless::stacks {

const PrivateTmpSupport& private_tmp_support() {
  static const PrivateTmpSupport support = process::probe();
  return support;
}

}  // namespace loveless::stacks
