#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "private_tmp.hpp"
#include <sys/types.h>

namespace loveless::stacks::process {

/// Everything needed to start (and restart) one worker process.
struct LaunchRequest {
  std::filesystem::path executable;  ///< resolved, see `resolve_executable`
  std::vector<std::string> args;     ///< argv[1..]
  /// The complete environment: nothing of the parent's leaks in unless listed.
  std::map<std::string, std::string> environment;
  std::filesystem::path log_file;  ///< stdout and stderr, appended
  /// A mount namespace with a private /tmp (`private_tmp.hpp`); none: the
  /// host's file system as it is. Its mount points must exist.
  std::optional<PrivateTmpPlan> private_tmp;
};

/// `name` itself if it contains a '/', else the first executable `name` on
/// this process's PATH. Throws `std::invalid_argument` if there is none.
std::filesystem::path resolve_executable(const std::string& name);

/// Starts the process with Boost.Process in a new process group (it leads the
/// group: pgid == pid), with PR_SET_PDEATHSIG=SIGKILL, stdin from /dev/null,
/// in the mount namespace `request.private_tmp` describes (if any), with no
/// descriptor of this process but stdin, stdout and stderr (every one above 2
/// is closed at the exec, close-on-exec or not: close_range(2)), and
/// returns its pid once it has exec'd. The caller owns the child: it must
/// reap it (waitpid). PR_SET_PDEATHSIG fires when the calling *thread* exits,
/// so call this from a thread that lives as long as the worker should.
/// Throws `std::runtime_error` if the log cannot be opened or the exec fails.
/// A namespace set-up that fails ends the child with exit 126, the reason in
/// its log.
pid_t launch_worker_process(const LaunchRequest& request);

}  // namespace loveless::stacks::process
