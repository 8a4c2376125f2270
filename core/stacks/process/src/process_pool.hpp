#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "loveless/stacks/crash_loop.hpp"
#include "loveless/stacks/pool.hpp"

#include "fleet_context.hpp"
#include "process_worker.hpp"

namespace loveless::stacks::process {

/// The workers of one activity or function, as processes. An activity pool
/// keeps its desired size: a worker that dies (other than by a restart, a
/// scale-down or the fleet's shutdown) is replaced after
/// `spec.replacement_delay` by a worker with a new id. A function pool starts
/// environments on demand and never replaces them.
class ProcessPool final : public Pool, public std::enable_shared_from_this<ProcessPool> {
 public:
  ProcessPool(PoolSpec spec, std::shared_ptr<FleetContext> context);

  [[nodiscard]] const PoolSpec& spec() const override { return spec_; }
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> workers() const override;
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> live_workers() const override;
  /// Activity pools only (`std::logic_error` otherwise); scale-down stops the
  /// newest workers with a 2 s grace and waits for them.
  void set_desired_size(int replicas) override;
  [[nodiscard]] std::vector<PoolEvent> events() const override;
  void subscribe(std::function<void(const PoolEvent&)> listener) override;
  std::shared_ptr<Worker> launch_environment(const std::string& runtime_api) override;

  /// Starts `spec.replicas` workers of an activity pool.
  void start_initial_workers();
  /// Appends an event and queues it for the subscribers (on the supervisor thread).
  void record(PoolEvent::Kind kind, const std::string& worker_id, std::string detail);
  /// Called by a worker on the supervisor thread once its process is reaped;
  /// an activity pool replaces it (when `replace`) after its
  /// `replacement_delay` plus the crash-loop backoff (`CrashLoopGuard`).
  void worker_exited(const std::string& worker_id, bool replace,
                     const CrashLoopGuard::Death& death);
  void worker_served(const std::string& worker_id) override { guard_.served(worker_id); }
  [[nodiscard]] std::optional<std::string> failure() const override { return guard_.failure(); }
  void kill_for_shutdown();
  [[nodiscard]] Supervisor& supervisor() const { return context_->supervisor; }
  [[nodiscard]] bool accepting() const { return context_->accepting.load(); }

 private:
  std::vector<std::shared_ptr<ProcessWorker>> snapshot() const;
  [[nodiscard]] int live_count() const;
  /// Only on the supervisor thread.
  std::shared_ptr<ProcessWorker> start_new_worker(const std::string& runtime_api,
                                                  const std::string& replaces);
  void replace(const std::string& dead_worker_id);
  [[nodiscard]] LaunchRequest launch_request(const std::string& worker_id,
                                             const std::filesystem::path& scratch,
                                             const std::string& runtime_api) const;

  const PoolSpec spec_;
  const std::shared_ptr<FleetContext> context_;
  const std::filesystem::path executable_;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<ProcessWorker>> workers_;
  std::vector<PoolEvent> events_;
  std::vector<std::function<void(const PoolEvent&)>> listeners_;
  int desired_ = 0;
  int started_ = 0;  ///< worker ids are `<name>-<started_>`
  CrashLoopGuard guard_{spec_.name};
};

}  // namespace loveless::stacks::process
