#pragma once

#include <chrono>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace loveless::stacks {

/// The life cycle of one worker (an activity worker or a Lambda execution environment).
enum class WorkerState { kStarting, kRunning, kPaused, kDead };
/// `starting`, `running`, `paused`, `dead`.
std::string_view to_string(WorkerState state);

/// The primitives a worker handle can perform. Which ones a worker supports is
/// explicit (`Worker::capabilities`): an AWS Lambda environment cannot be paused,
/// a process can.
enum class Primitive { kKill, kStop, kRestart, kPause, kResume, kWipeScratch, kLatency };
/// `kill`, `stop`, `restart`, `pause`, `resume`, `wipe-scratch`, `latency`.
std::string_view to_string(Primitive primitive);

/// A primitive the worker does not support, or that its current state forbids
/// (pausing a dead worker). The message names the primitive, the worker and the reason.
class UnsupportedPrimitive : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A handle on one disposable worker. Each primitive acts on exactly this
/// worker, once; selecting workers, repeating and timing belong to the runner
/// (DESIGN.md). A primitive on a dead worker is a no-op for kill/stop and
/// `UnsupportedPrimitive` for the others.
///
/// Thread-safety: every method may be called from any thread.
class Worker {
 public:
  virtual ~Worker() = default;

  /// Unique within the run, e.g. `count-words-3`; also the worker's
  /// `LOVELESS_WORKER_NAME` and the `workerName` it polls with.
  [[nodiscard]] virtual const std::string& id() const = 0;
  /// The pool this worker belongs to.
  [[nodiscard]] virtual const std::string& pool() const = 0;
  /// The platform's handle: `pgid:<n>` for a process group, the container id for Docker.
  [[nodiscard]] virtual std::string platform_handle() const = 0;
  /// The host directory that is the worker's scratch (TMPDIR, or /tmp in a container).
  [[nodiscard]] virtual const std::filesystem::path& scratch_dir() const = 0;
  [[nodiscard]] virtual WorkerState state() const = 0;
  [[nodiscard]] virtual std::set<Primitive> capabilities() const = 0;
  /// Whether the host process `pid` is one of this live worker's: in its
  /// process group (process fleet) or in its container's cgroup (docker
  /// fleet). How a call the orchestrator received is traced back to the
  /// worker whose process made it, whatever `workerName` it sent
  /// (`ConnectionOwners`). False by default: a worker whose processes this
  /// host cannot see (AWS).
  [[nodiscard]] virtual bool owns_process(int pid) const {
    (void)pid;
    return false;
  }

  /// SIGKILL to the whole process group / Docker container kill. Returns once
  /// the signal is delivered (the pool notices the death and replaces it):
  /// for a container, once its init process has exited (so its processes run
  /// no more), without waiting for the engine's clean-up; where that process
  /// cannot be watched, once the engine answered.
  virtual void kill() = 0;
  /// SIGTERM, then SIGKILL after `grace` if the worker is still alive.
  virtual void stop(std::chrono::milliseconds grace) = 0;
  /// Stops the worker (as `stop`) and starts it again with the same id and
  /// scratch directory, like `docker restart`.
  virtual void restart(std::chrono::milliseconds grace) = 0;
  /// SIGSTOP to the group / Docker pause: the worker makes no progress.
  virtual void pause() = 0;
  /// SIGCONT / Docker unpause.
  virtual void resume() = 0;
  /// Empties the scratch directory while the worker lives (the directory itself stays).
  virtual void wipe_scratch() = 0;
  /// Delays every byte between this worker and the orchestrator by `delay`,
  /// each way, from now on; `0ms` heals. Only on a fleet with per-worker
  /// routes (`FleetOptions::traffic`); `UnsupportedPrimitive` otherwise and on
  /// a dead worker.
  virtual void set_latency(std::chrono::milliseconds delay) = 0;
};

}  // namespace loveless::stacks
