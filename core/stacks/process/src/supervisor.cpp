#include "supervisor.hpp"

#include <algorithm>
#include <cerrno>
#include <future>
#include <stdexcept>
#include <system_error>

#include "marked_processes.hpp"
#include "proc_stat.hpp"
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace loveless::stacks::process {

namespace {

constexpr int kFallbackPollMs = 20;

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

std::string describe(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) {
    return "exit " + std::to_string(info.si_status);
  }
  return "signal " + std::to_string(info.si_status);
}

std::string describe(int status) {
  if (WIFEXITED(status)) {
    return "exit " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    return "signal " + std::to_string(WTERMSIG(status));
  }
  return "unknown";
}

void run_quietly(const std::function<void()>& task) {
  // A subscriber or a replacement that throws must not end supervision of
  // the remaining workers; what failed is recorded by the task itself.
  try {
    task();
  } catch (...) {
  }
}

}  // namespace

Supervisor::Supervisor() {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "eventfd");
  }
  thread_ = std::thread([this] { loop(); });
}

Supervisor::~Supervisor() {
  stop();
  ::close(wake_fd_);
}

void Supervisor::watch(pid_t pid, ExitHandler handler, std::vector<std::string> marks) {
  const auto stat = read_proc_stat(pid);
  {
    const std::lock_guard lock(mutex_);
    watches_.push_back(Watch{pid, open_pidfd(pid), std::move(handler), std::move(marks),
                             stat ? stat->start_time : 0});
  }
  wake();
}

void Supervisor::kill_everything_of(const Watch& watch) {
  ::killpg(watch.pid, SIGKILL);
  // Without a start time (the leader vanished before it was read) nothing
  // tells a later process with the same marks apart: leave them.
  if (watch.start_time == 0) return;
  for (const pid_t escaped : marked_processes(watch.marks, watch.start_time)) {
    ::kill(escaped, SIGKILL);
  }
}

void Supervisor::post(std::function<void()> task) {
  {
    const std::lock_guard lock(mutex_);
    if (finished_) {
      return;
    }
    tasks_.push_back(std::move(task));
  }
  wake();
}

void Supervisor::post_after(std::chrono::milliseconds delay, std::function<void()> task) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    timers_.push_back(Timer{std::chrono::steady_clock::now() + delay, std::move(task)});
  }
  wake();
}

void Supervisor::run_sync(const std::function<void()>& task) {
  if (on_thread()) {
    task();
    return;
  }
  std::promise<void> done;
  auto finished = done.get_future();
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) {
      throw std::runtime_error("the process fleet is shut down");
    }
    tasks_.push_back([&task, &done] {
      try {
        task();
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
  }
  wake();
  finished.get();
}

bool Supervisor::on_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

std::size_t Supervisor::watched() const {
  const std::lock_guard lock(mutex_);
  return watches_.size();
}

void Supervisor::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    timers_.clear();
  }
  wake();
  if (thread_.joinable() && !on_thread()) {
    thread_.join();
  }
  std::vector<Watch> left;
  {
    const std::lock_guard lock(mutex_);
    finished_ = true;
    left.swap(watches_);
    tasks_.clear();
  }
  for (auto& watch : left) {
    kill_everything_of(watch);
    int status = 0;
    const pid_t reaped = ::waitpid(watch.pid, &status, 0);
    if (watch.pidfd >= 0) {
      ::close(watch.pidfd);
    }
    run_quietly([&] { watch.handler(reaped == watch.pid ? describe(status) : "unknown"); });
  }
}

void Supervisor::wake() const {
  const std::uint64_t one = 1;
  // A full counter already means "wake up"; nothing to do on failure.
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
}

void Supervisor::reap_exited() {
  std::vector<Watch> candidates;
  {
    const std::lock_guard lock(mutex_);
    candidates = watches_;
  }
  for (const auto& watch : candidates) {
    siginfo_t info{};
    // WNOWAIT leaves the zombie in place: while it exists its pgid cannot be
    // reused, so killing the rest of the group cannot hit a stranger.
    const int result =
        ::waitid(P_PID, static_cast<id_t>(watch.pid), &info, WEXITED | WNOHANG | WNOWAIT);
    std::string detail;
    if (result == 0 && info.si_pid == watch.pid) {
      detail = describe(info);
      kill_everything_of(watch);
      ::waitpid(watch.pid, nullptr, 0);
    } else if (result != 0 && errno == ECHILD) {
      // Someone else in this process reaped it (waitpid(-1)).
      detail = "unknown (reaped elsewhere)";
    } else {
      continue;
    }
    {
      const std::lock_guard lock(mutex_);
      std::erase_if(watches_, [&](const Watch& w) { return w.pid == watch.pid; });
    }
    if (watch.pidfd >= 0) {
      ::close(watch.pidfd);
    }
    run_quietly([&] { watch.handler(detail); });
  }
}

int Supervisor::poll_timeout_ms() {
  const std::lock_guard lock(mutex_);
  int timeout = -1;
  if (std::any_of(watches_.begin(), watches_.end(), [](const Watch& w) { return w.pidfd < 0; })) {
    timeout = kFallbackPollMs;
  }
  const auto now = std::chrono::steady_clock::now();
  for (const auto& timer : timers_) {
    const auto due = std::chrono::ceil<std::chrono::milliseconds>(timer.due - now).count();
    const int wait = static_cast<int>(std::max<std::int64_t>(0, due));
    timeout = timeout < 0 ? wait : std::min(timeout, wait);
  }
  return timeout;
}

void Supervisor::loop() {
  for (;;) {
    std::deque<std::function<void()>> ready;
    bool stopping = false;
    {
      const std::lock_guard lock(mutex_);
      ready.swap(tasks_);
      const auto now = std::chrono::steady_clock::now();
      // Timers in due order, so replacements keep the order of the deaths.
      std::stable_sort(timers_.begin(), timers_.end(),
                       [](const Timer& a, const Timer& b) { return a.due < b.due; });
      while (!timers_.empty() && timers_.front().due <= now) {
        ready.push_back(std::move(timers_.front().task));
        timers_.erase(timers_.begin());
      }
      stopping = stopping_;
    }
    for (const auto& task : ready) {
      run_quietly(task);
    }
    reap_exited();
    if (stopping) {
      const std::lock_guard lock(mutex_);
      if (tasks_.empty()) {
        return;
      }
      continue;
    }

    std::vector<pollfd> fds{{wake_fd_, POLLIN, 0}};
    {
      const std::lock_guard lock(mutex_);
      for (const auto& watch : watches_) {
        if (watch.pidfd >= 0) {
          fds.push_back({watch.pidfd, POLLIN, 0});
        }
      }
    }
    ::poll(fds.data(), fds.size(), poll_timeout_ms());
    std::uint64_t drained = 0;
    [[maybe_unused]] const auto read = ::read(wake_fd_, &drained, sizeof drained);
  }
}

}  // namespace loveless::stacks::process
