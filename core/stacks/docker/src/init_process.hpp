#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace loveless::stacks::docker {

/// A container's init process seen from the host, through a pidfd: how the
/// fleet observes that a kill has taken effect without waiting for the
/// engine's answer, which comes only after its clean-up (tens of ms later).
///
/// Only available when this process shares the engine's pid namespace (a
/// local engine, `State.Pid` is a host pid) and may look at the process; the
/// pid is trusted only if its `/proc/<pid>/cgroup` names the container id,
/// and the pidfd is opened before that check, so a reused pid is never watched.
///
/// Thread-safety: `exited` and `wait_exited` may be called from any thread.
class InitProcess {
 public:
  /// The container's init process `pid` (inspect's `State.Pid`), or null when
  /// it cannot be watched from here (not in our pid namespace, gone already,
  /// not in the container's cgroup, no pidfd support).
  static std::unique_ptr<InitProcess> open(const std::string& container_id, int pid);
  ~InitProcess();
  InitProcess(const InitProcess&) = delete;
  InitProcess& operator=(const InitProcess&) = delete;

  [[nodiscard]] int pid() const { return pid_; }
  [[nodiscard]] int pidfd() const { return pidfd_; }
  /// Whether the process has exited (it may still be a zombie: it runs no more).
  [[nodiscard]] bool exited() const;

 private:
  InitProcess(int pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  int pid_;
  int pidfd_;
};

/// Whether `/proc/<pid>/cgroup` names `container_id` (a full 64-hex id appears
/// in the cgroup path with every driver: `/docker/<id>`, `docker-<id>.scope`).
bool process_in_container(int pid, const std::string& container_id);

}  // namespace loveless::stacks::docker
