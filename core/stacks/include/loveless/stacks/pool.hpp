#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loveless/stacks/worker.hpp"

namespace loveless::stacks {

/// What a pool's workers serve.
enum class PoolKind {
  kActivity,  ///< activity workers polling GetActivityTask
  kFunction,  ///< Lambda execution environments talking to a Runtime API
};

/// A host file or directory made visible to every worker of a pool, like
/// `docker run -v <host>:<container>[:ro]`: a durable store shared by the
/// workers, read-only inputs. A docker fleet bind-mounts it into each
/// container; a process worker shares the host's file system, so there the
/// container path must be the host path (see `validate_mounts`).
struct BindMount {
  /// Absolute; must exist when the pool is added.
  std::filesystem::path host_path;
  /// Absolute path the worker sees it at.
  std::filesystem::path container_path;
  /// Docker: mounted read-only (`:ro`). Processes: remounted read-only in the
  /// worker's mount namespace where it has one (`private_tmp_support`); else
  /// not enforced (a process writes wherever the runner's user may).
  bool read_only = false;
};

/// The description of a pool, shared by every fleet.
struct PoolSpec {
  /// Pool name, unique in the run (`count-words`); worker ids are `<name>-<n>`.
  std::string name;
  PoolKind kind = PoolKind::kActivity;
  /// argv of a worker process (process fleet) or of the container's entrypoint
  /// arguments (docker fleet, where argv[0] is the binary inside the image).
  std::vector<std::string> command;
  /// Container image (docker fleet only).
  std::string image;
  /// Desired number of workers of an activity pool (ECS service's desired count).
  /// Function pools start environments on demand instead.
  int replicas = 1;
  /// Delay before a dead worker is replaced (ECS replaces at once; default none).
  std::chrono::milliseconds replacement_delay{0};
  /// Extra environment variables for every worker.
  std::map<std::string, std::string> environment;
  /// For activity pools: the activity ARN (`LOVELESS_ACTIVITY_ARN`).
  std::string activity_arn;
  /// Extra bind mounts for every worker (besides its scratch).
  std::vector<BindMount> mounts;
};

/// The checks every fleet applies to `spec.mounts` when a pool is added:
/// host and container paths absolute, the host path existing, no container
/// path twice. Throws `std::invalid_argument` naming the pool, the mount and
/// what is wrong. Fleets add their own checks (docs/stacks.md).
void validate_mounts(const PoolSpec& spec);

/// `<host>:<container>` with `:ro` when read-only, as in messages and `docker -v`.
std::string to_string(const BindMount& mount);

/// Something that happened to a worker, in the order it happened.
struct PoolEvent {
  enum class Kind {
    kStarted,
    kDied,
    kReplaced,
    kKilled,
    kStopped,
    kRestarted,
    kPaused,
    kResumed,
    kScratchWiped,
    kLatencySet
  };
  std::chrono::system_clock::time_point at;
  Kind kind = Kind::kStarted;
  std::string pool;
  std::string worker_id;
  /// For kDied: how it ended (`exit 0`, `signal 9`); for kReplaced: the new
  /// worker's id; for kLatencySet: the delay (`300 ms`, `0 ms` when healed).
  std::string detail;
};
/// `started`, `died`, `replaced`, ...
std::string_view to_string(PoolEvent::Kind kind);

/// A set of workers serving one activity or one function.
///
/// Thread-safety: every method may be called from any thread.
class Pool {
 public:
  virtual ~Pool() = default;
  [[nodiscard]] virtual const PoolSpec& spec() const = 0;
  /// Every worker the pool has started, the dead ones included, in start order.
  [[nodiscard]] virtual std::vector<std::shared_ptr<Worker>> workers() const = 0;
  /// The live workers (starting, running or paused).
  [[nodiscard]] virtual std::vector<std::shared_ptr<Worker>> live_workers() const = 0;
  /// Changes the desired size; the pool starts or stops workers to match.
  virtual void set_desired_size(int replicas) = 0;
  /// Every event so far, oldest first.
  [[nodiscard]] virtual std::vector<PoolEvent> events() const = 0;
  /// Calls `listener` for every later event, on the pool's supervision thread;
  /// the listener must not block or call back into the pool.
  virtual void subscribe(std::function<void(const PoolEvent&)> listener) = 0;

  /// Function pools: starts one Lambda execution environment whose Runtime API
  /// is at `runtime_api` (`127.0.0.1:<port>`, set as AWS_LAMBDA_RUNTIME_API).
  /// A dead environment is not replaced: the engine starts environments on
  /// demand. Throws `std::logic_error` on an activity pool.
  virtual std::shared_ptr<Worker> launch_environment(const std::string& runtime_api) = 0;

  /// Tells the pool that its worker `worker_id` asked the orchestrator for
  /// work (an activity poll): it started, so its death is never counted as a
  /// failure to start (`CrashLoopGuard`). The local stack calls it on every
  /// poll it traces to a worker. The default ignores it.
  virtual void worker_served(const std::string& worker_id) { (void)worker_id; }
  /// Why the pool cannot keep its workers up, once its workers keep dying
  /// at start (`CrashLoopGuard::failure`: the pool, the last worker's exit
  /// status, the end of its log and the log's path); nothing while it can.
  /// A local scenario run fails with it as soon as it is set.
  [[nodiscard]] virtual std::optional<std::string> failure() const { return std::nullopt; }
};

}  // namespace loveless::stacks
