#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/worker.hpp"
#include "loveless/stacks/worker_traffic.hpp"

#include "launch.hpp"
#include <sys/types.h>

namespace loveless::stacks::process {

class ProcessPool;

/// One worker process and its process group.
///
/// Lock order: a worker's mutex may be held while recording a pool event
/// (which takes the pool's mutex), never the other way round; that is what
/// keeps `killed` before `died` in the pool's events.
class ProcessWorker final : public Worker, public std::enable_shared_from_this<ProcessWorker> {
 public:
  ProcessWorker(std::string id, std::filesystem::path scratch_dir, std::filesystem::path pid_file,
                LaunchRequest launch, std::weak_ptr<ProcessPool> pool, std::string pool_name,
                std::shared_ptr<WorkerTraffic> traffic);

  [[nodiscard]] const std::string& id() const override { return id_; }
  [[nodiscard]] const std::string& pool() const override { return pool_name_; }
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

  /// Starts the process; only on the supervisor thread. Records `event`
  /// (kStarted or kRestarted) with the handle, or kDied ("spawn failed: ...")
  /// and rethrows if the process cannot start.
  void start(PoolEvent::Kind event);
  /// Scale-down: stop without being replaced.
  void retire(std::chrono::milliseconds grace);
  /// Fleet shutdown: SIGKILL without an event and without replacement.
  void kill_for_shutdown();
  /// Live, or dead only for the moment of a restart.
  [[nodiscard]] bool counts_toward_desired_size() const;

 private:
  void on_exit(std::uint64_t generation, const std::string& detail);
  void record(PoolEvent::Kind kind, std::string detail) const;
  /// SIGTERM, SIGKILL after `grace`, and waits for the supervisor to reap;
  /// false if the process outlived even SIGKILL for a while.
  bool terminate_and_wait(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds grace);
  void signal_group(int signal_number) const;
  [[noreturn]] void refuse(Primitive primitive) const;

  const std::string id_;
  const std::string pool_name_;
  const std::filesystem::path scratch_dir_;
  const std::filesystem::path pid_file_;
  const LaunchRequest launch_;
  const std::weak_ptr<ProcessPool> pool_;
  /// The worker's route to the orchestrator (null: direct, no latency fault).
  const std::shared_ptr<WorkerTraffic> traffic_;

  mutable std::mutex mutex_;
  std::condition_variable exited_;
  WorkerState state_ = WorkerState::kStarting;
  pid_t pgid_ = 0;
  /// Counts starts, so a stale exit (of the process before a restart) is ignored.
  std::uint64_t generation_ = 0;
  bool replace_on_exit_ = true;
  /// Set by kill, stop, restart and the shutdown: its next death is ours,
  /// not the worker's (`CrashLoopGuard`).
  bool ended_by_us_ = false;
  std::chrono::steady_clock::time_point started_at_{};
  bool restarting_ = false;
};

}  // namespace loveless::stacks::process
