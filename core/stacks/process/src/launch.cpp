#include "launch.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace loveless::stacks::process {

namespace bp = boost::process;

namespace {

#ifndef CLOSE_RANGE_CLOEXEC
constexpr unsigned kCloseRangeCloexec = 1U << 2;  // linux/close_range.h, Linux 5.11
#else
constexpr unsigned kCloseRangeCloexec = CLOSE_RANGE_CLOEXEC;
#endif

// Marks every descriptor above stderr close-on-exec, so the worker starts with
// stdin, stdout and stderr only, whatever the runner had open without
// O_CLOEXEC (a latency proxy's sockets, a library's files). Marked rather than
// closed: Boost.Process reports a failed exec through a pipe of its own, which
// is close-on-exec already and must stay open until the exec.
// Async-signal-safe: system calls only.
void close_inherited_descriptors() noexcept {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, 3U, ~0U, kCloseRangeCloexec) == 0) {
    return;
  }
#endif
  // Older kernels: every possible descriptor, one fcntl each.
  rlimit limit{};
  const rlim_t last = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                          ? limit.rlim_cur
                          : 65536;
  for (rlim_t fd = 3; fd < last; ++fd) {
    const int flags = ::fcntl(static_cast<int>(fd), F_GETFD);
    if (flags >= 0) ::fcntl(static_cast<int>(fd), F_SETFD, flags | FD_CLOEXEC);
  }
}

// Runs in the child between fork and exec of a multi-threaded parent: only
// async-signal-safe calls, no allocation. A failure ends the child with 126,
// which the supervisor records as the worker's death ("exit 126").
void prepare_child(int log_fd, pid_t parent, const ChildMounts* mounts) noexcept {
  // Own group, so a signal reaches the worker and everything it forks.
  if (::setpgid(0, 0) != 0) {
    ::_exit(126);
  }
  // Before the death signal: entering a user namespace changes the
  // credentials, which clears it.
  if (mounts != nullptr && !mounts->enter(log_fd)) {
    ::_exit(126);
  }
  // Dies with the thread that started it, so a fleet owner killed without a
  // chance to clean up does not leave workers running forever.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    ::_exit(126);
  }
  // The parent may have died before prctl took effect.
  if (::getppid() != parent) {
    ::_exit(126);
  }
  if (::dup2(log_fd, STDOUT_FILENO) < 0 || ::dup2(log_fd, STDERR_FILENO) < 0) {
    ::_exit(126);
  }
  // The runner may block or ignore signals; a worker starts with defaults.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (const int signal_number : {SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGCHLD}) {
    ::signal(signal_number, SIG_DFL);
  }
  close_inherited_descriptors();
}

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::filesystem::path resolve_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (!is_executable_file(name)) {
      throw std::invalid_argument("worker command '" + name + "' is not an executable file");
    }
    return name;
  }
  const char* path_variable = std::getenv("PATH");
  std::string_view rest = path_variable != nullptr ? path_variable : "";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const auto dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    if (dir.empty()) {
      continue;
    }
    auto candidate = std::filesystem::path(dir) / name;
    if (is_executable_file(candidate)) {
      return candidate;
    }
  }
  throw std::invalid_argument("worker command '" + name +
                              "' is not on PATH; give an absolute path");
}

pid_t launch_worker_process(const LaunchRequest& request) {
  const int log_fd =
      ::open(request.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    throw std::runtime_error("cannot open worker log " + request.log_file.string() + ": " +
                             std::strerror(errno));
  }
  // Boost 1.74's basic_environment::find compares "<name>=" with every entry
  // over the probe's full length and so reads past an entry shorter than it
  // (AddressSanitizer: heap-buffer-overflow). Adding the longest names first
  // keeps every entry already present at least as long as the probe.
  std::vector<const std::pair<const std::string, std::string>*> entries;
  entries.reserve(request.environment.size());
  for (const auto& entry : request.environment) entries.push_back(&entry);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto* a, const auto* b) { return a->first.size() > b->first.size(); });
  bp::environment environment;
  for (const auto* entry : entries) {
    environment[entry->first] = entry->second;
  }
  std::optional<ChildMounts> mounts;
  if (request.private_tmp) mounts.emplace(*request.private_tmp);
  const ChildMounts* child_mounts = mounts ? &*mounts : nullptr;
  const pid_t parent = ::getpid();
  std::error_code error;
  bp::child child(
      bp::exe = request.executable.string(), bp::args = request.args, environment,
      bp::std_in < bp::null,
      bp::extend::on_exec_setup =
          [log_fd, parent, child_mounts](auto& /*executor*/) {
            prepare_child(log_fd, parent, child_mounts);
          },
      error);
  ::close(log_fd);
  if (error) {
    throw std::runtime_error("cannot start " + request.executable.string() + ": " +
                             error.message());
  }
  const pid_t pid = child.id();
  // The supervisor reaps with waitpid; a Boost child would terminate the
  // process in its destructor.
  child.detach();
  return pid;
}

}  // namespace loveless::stacks::process
