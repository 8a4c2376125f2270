#include "init_process.hpp"

#include <fstream>
#include <iterator>

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace loveless::stacks::docker {
namespace {

int open_pidfd(int pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

}  // namespace

bool process_in_container(int pid, const std::string& container_id) {
  // A short id could match by accident; the engine's ids are 64 hex digits.
  if (pid <= 0 || container_id.size() < 64) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
  const std::string cgroups{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return cgroups.find(container_id) != std::string::npos;
}

std::unique_ptr<InitProcess> InitProcess::open(const std::string& container_id, int pid) {
  if (pid <= 0) return nullptr;
  // The pidfd first: it pins the process, so if the pid is reused after the
  // cgroup check, the check was still about the process we hold.
  const int pidfd = open_pidfd(pid);
  if (pidfd < 0) return nullptr;
  std::unique_ptr<InitProcess> process(new InitProcess(pid, pidfd));
  if (!process_in_container(pid, container_id) || process->exited()) return nullptr;
  return process;
}

InitProcess::~InitProcess() { ::close(pidfd_); }

bool InitProcess::exited() const {
  pollfd ready{pidfd_, POLLIN, 0};
  return ::poll(&ready, 1, 0) == 1;
}

}  // namespace loveless::stacks::docker
