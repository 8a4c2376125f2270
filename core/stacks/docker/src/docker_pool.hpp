#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loveless/stacks/crash_loop.hpp"
#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/fleet.hpp"
#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/pool_event_log.hpp"

#include "container_worker.hpp"

namespace loveless::stacks::docker {

/// A docker-fleet pool. Each live worker has a supervision thread blocked in
/// the engine's wait call; when the container stops, that thread records
/// `died`, and for an activity pool below its desired size starts a
/// replacement after the spec's replacement delay (`replaced`, then `started`).
///
/// Thread-safety: every method may be called from any thread.
class DockerPool final : public Pool {
 public:
  DockerPool(PoolSpec spec, FleetOptions fleet, std::string owner,
             std::shared_ptr<const DockerClient> docker);
  ~DockerPool() override;
  DockerPool(const DockerPool&) = delete;
  DockerPool& operator=(const DockerPool&) = delete;

  /// Activity pools: starts the spec's replicas. Throws DockerError.
  void start();
  /// Stops replacing, kills every worker, waits until each container's logs
  /// are saved and it is removed. Idempotent.
  void shutdown();

  [[nodiscard]] const PoolSpec& spec() const override { return spec_; }
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> workers() const override;
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> live_workers() const override;
  /// Activity pools: starts workers or stops the newest ones (2 s grace) to
  /// match. Throws std::logic_error on a function pool and std::invalid_argument
  /// for a negative size.
  void set_desired_size(int replicas) override;
  [[nodiscard]] std::vector<PoolEvent> events() const override;
  void subscribe(std::function<void(const PoolEvent&)> listener) override;
  void worker_served(const std::string& worker_id) override { guard_.served(worker_id); }
  [[nodiscard]] std::optional<std::string> failure() const override { return guard_.failure(); }
  std::shared_ptr<Worker> launch_environment(const std::string& runtime_api) override;

 private:
  struct Supervisor {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  /// Starts one worker and its supervision thread; a non-empty `replaces` makes
  /// it the replacement of that dead worker. Returns null when the pool is
  /// shutting down, or for a replacement when the pool is no longer below its
  /// desired size. Throws DockerError when the container cannot start.
  std::shared_ptr<ContainerWorker> start_worker(const std::string& runtime_api = {},
                                                const std::string& replaces = {});
  /// `started`: when its container started, for `CrashLoopGuard`.
  void supervise(const std::shared_ptr<ContainerWorker>& worker,
                 std::chrono::steady_clock::time_point started);
  /// After the spec's replacement delay plus `backoff` (`CrashLoopGuard`).
  void replace(const std::string& dead_worker, std::chrono::milliseconds backoff);
  [[nodiscard]] int live_count_locked() const;
  void record(PoolEvent::Kind kind, const std::string& worker, std::string detail = {});

  const PoolSpec spec_;
  const FleetOptions fleet_;
  const std::string owner_;
  const std::shared_ptr<const DockerClient> docker_;
  // Shared with the workers, which may outlive the pool in a caller's hands.
  const std::shared_ptr<PoolEventLog> events_ = std::make_shared<PoolEventLog>();

  CrashLoopGuard guard_{spec_.name};
  mutable std::mutex mutex_;
  std::condition_variable stopping_changed_;
  bool stopping_ = false;
  int desired_ = 0;
  int next_index_ = 1;
  std::vector<std::shared_ptr<ContainerWorker>> workers_;
  std::vector<Supervisor> supervisors_;
};

}  // namespace loveless::stacks::docker
