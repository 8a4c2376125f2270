#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "loveless/stacks/pool.hpp"

namespace loveless::stacks::process {

/// What one worker's mount namespace holds (docs/stacks.md, "A private /tmp"):
/// its scratch bound over /tmp, then each mount the worker must still see
/// (bound again at its path inside the new /tmp when under /tmp, remounted
/// read-only in place when read-only elsewhere).
struct PrivateTmpPlan {
  /// Canonical host path of the worker's scratch directory.
  std::filesystem::path scratch;
  /// Canonical host paths (host path == container path on this fleet), the
  /// outer ones first, so a mount inside another is bound after it.
  std::vector<BindMount> mounts;
  /// The mount points the fleet creates inside the scratch for the mounts
  /// under /tmp, relative to the scratch; a wipe keeps them (removing one
  /// would unmount the worker's view of that mount).
  std::vector<std::filesystem::path> mount_points;
  /// Enter a user namespace first (no CAP_SYS_ADMIN, see `private_tmp_support`).
  bool user_namespace = false;
};

/// The plan for a worker whose scratch is `scratch` and whose pool has
/// `mounts` (validated: host path == container path) and runs `executable`
/// (bound read-only at its path when under /tmp, so it can still be exec'd).
PrivateTmpPlan plan_private_tmp(const std::filesystem::path& scratch,
                                const std::vector<BindMount>& mounts,
                                const std::filesystem::path& executable, bool user_namespace);

/// Creates the scratch directory and the plan's mount points in it (empty
/// directories, or empty files for mounted files). Idempotent, so a
/// restarted worker or one whose scratch was wiped gets the same.
void create_mount_points(const PrivateTmpPlan& plan);

/// The plan laid out as C strings before fork, and the namespace set-up the
/// child runs between fork and exec (async-signal-safe calls only).
class ChildMounts {
 public:
  explicit ChildMounts(const PrivateTmpPlan& plan);
  // Holds pointers into its own strings.
  ChildMounts(const ChildMounts&) = delete;
  ChildMounts& operator=(const ChildMounts&) = delete;
  ~ChildMounts() = default;

  /// In the child: unshares the mount namespace (and a user namespace mapping
  /// only the caller's uid and gid when the plan says so), makes every mount
  /// private, binds the scratch over /tmp and the mounts at their paths.
  /// Returns false after writing `loveless: cannot give the worker a private
  /// /tmp: <step> <path>: errno <n>` to `report_fd`.
  bool enter(int report_fd) const noexcept;

 private:
  struct Mount {
    const char* path;
    bool read_only;
  };
  std::vector<std::string> strings_;
  std::vector<Mount> mounts_;
  mutable std::vector<int> fds_;
  std::string scratch_;
  std::string uid_map_;
  std::string gid_map_;
  bool user_namespace_;
};

}  // namespace loveless::stacks::process
