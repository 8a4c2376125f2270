#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/worker.hpp"
#include "loveless/stacks/worker_traffic.hpp"

#include "init_process.hpp"

namespace loveless::stacks::docker {

/// A docker-fleet worker: one container, driven through the Engine API.
///
/// Primitives and death detection are serialised by one lock, so a death is
/// only concluded after a primitive in flight has finished: a restart's brief
/// stop is never taken for a death, and `killed` is recorded before `died`.
///
/// `kill` returns as soon as the kill has taken effect: the container's init
/// process (watched through a pidfd when the engine is local, see
/// InitProcess) has exited, which is also the end of every other process in
/// the container. The engine's answer comes only after its clean-up, tens of
/// milliseconds later; the request finishes on a thread of its own, joined by
/// the next primitive or the death's conclusion. Without a watchable init
/// process, `kill` waits for the engine's answer.
/// Thread-safety: every method may be called from any thread.
class ContainerWorker final : public Worker {
 public:
  /// Receives the worker's events: (kind, detail).
  using EventSink = std::function<void(PoolEvent::Kind, std::string)>;

  ContainerWorker(std::string id, std::string pool, std::filesystem::path scratch_dir,
                  std::filesystem::path log_file, ContainerConfig config,
                  std::shared_ptr<const DockerClient> docker, EventSink events,
                  std::shared_ptr<WorkerTraffic> traffic);
  ~ContainerWorker() override;
  ContainerWorker(const ContainerWorker&) = delete;
  ContainerWorker& operator=(const ContainerWorker&) = delete;

  /// Creates the scratch directory and the container and starts it. Throws
  /// DockerError; a container created but not started is removed again.
  /// Records no event: the pool records `started` (after `replaced`).
  void launch();
  /// Kills the container without recording `killed`: for the fleet's own
  /// shutdown, which is no fault. A worker not launched yet is left alone.
  void kill_quietly();
  /// Blocks until the container has stopped for good (not for a restart),
  /// marks the worker dead and returns how it ended: `exit <code>`, `signal
  /// <n>` (exit codes above 128, as the engine reports a signal),
  /// `oom-killed`, or `removed` when the container vanished. The pool's
  /// supervision thread calls it once, after `launch`, records `died`, then
  /// calls `dispose`. Never throws.
  std::string supervise();
  /// After `supervise`: saves the container's output to the log file and
  /// removes the container. Never throws.
  void dispose();
  /// True once kill, stop, restart or the shutdown acted on it: its death is
  /// the fleet's doing, not the worker's (`CrashLoopGuard`).
  [[nodiscard]] bool ended_by_us() const { return ended_by_us_.load(); }

  [[nodiscard]] const std::string& id() const override { return id_; }
  [[nodiscard]] const std::string& pool() const override { return pool_; }
  [[nodiscard]] std::string platform_handle() const override;
  [[nodiscard]] const std::filesystem::path& scratch_dir() const override { return scratch_dir_; }
  [[nodiscard]] WorkerState state() const override;
  [[nodiscard]] std::set<Primitive> capabilities() const override;
  [[nodiscard]] bool owns_process(int pid) const override;

  void kill() override;
  void stop(std::chrono::milliseconds grace) override;
  void restart(std::chrono::milliseconds grace) override;
  void pause() override;
  void resume() override;
  void wipe_scratch() override;
  void set_latency(std::chrono::milliseconds delay) override;

 private:
  /// Throws UnsupportedPrimitive naming the primitive, the worker and what to do instead.
  [[noreturn]] void refuse(Primitive primitive) const;
  void refuse_if_dead(Primitive primitive) const;
  /// After an API error: UnsupportedPrimitive if the container is no longer
  /// alive (it died while the call was under way), else the error again.
  [[noreturn]] void rethrow_unless_dead(Primitive primitive, const DockerError& error) const;
  void set_state(WorkerState state);
  void save_logs() const;
  /// Watches the running container's init process (null if it cannot be watched).
  void watch_init_process(const std::string& container);
  /// Joins a kill request still under way. Called with operation_mutex_ held.
  void finish_pending_kill();

  const std::string id_;
  const std::string pool_;
  const std::filesystem::path scratch_dir_;
  const std::filesystem::path log_file_;
  const ContainerConfig config_;
  const std::shared_ptr<const DockerClient> docker_;
  const EventSink events_;
  /// The worker's route to the orchestrator (null: direct, no latency fault).
  const std::shared_ptr<WorkerTraffic> traffic_;

  /// Held across each primitive and the conclusion of a death.
  std::mutex operation_mutex_;
  /// Guards state_ and container_id_ for quick reads during a primitive.
  mutable std::mutex state_mutex_;
  WorkerState state_ = WorkerState::kStarting;
  std::atomic<bool> ended_by_us_{false};
  std::string container_id_;
  /// Guarded by operation_mutex_: the running container's init process, and
  /// the engine's kill call when `kill` returned before its answer.
  std::unique_ptr<InitProcess> init_;
  std::thread pending_kill_;
};

}  // namespace loveless::stacks::docker
