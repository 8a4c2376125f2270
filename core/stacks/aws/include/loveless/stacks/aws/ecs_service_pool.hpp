#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "loveless/stacks/aws/aws_fleet.hpp"
#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/pool_event_log.hpp"

namespace loveless::stacks::aws {

class EcsTaskWorker;

/// An activity pool that is the running tasks of one ECS service. The
/// service keeps its desired count, as a local pool does: a task the run
/// stops is replaced by the ECS service scheduler, and the pool sees the
/// replacement on its next listing (every `AwsFleetContext::ecs_poll_interval`).
///
/// Workers are the service's tasks; a worker's id is its task id (the last
/// part of the task ARN), which is the `workerName` the Loveless worker SDK
/// polls with on ECS (docs/aws.md), so the history can say which task ran
/// which activity task.
///
/// The pool never changes the service (no UpdateService): `set_desired_size`
/// and `launch_environment` throw `std::logic_error`.
///
/// Thread-safety: every method may be called from any thread.
class EcsServicePool final : public Pool, public std::enable_shared_from_this<EcsServicePool> {
 public:
  /// `service_arn` must be a long-format ECS service ARN (`ecs_service_name`).
  EcsServicePool(PoolSpec spec, std::string service_arn, std::string cluster, std::string service,
                 AwsFleetContext context);
  ~EcsServicePool() override;
  EcsServicePool(const EcsServicePool&) = delete;
  EcsServicePool& operator=(const EcsServicePool&) = delete;

  /// Lists the service's running tasks (throws `aws::AwsError` when ECS
  /// refuses) and starts following it.
  void start();
  /// Stops following the service. Idempotent; never throws.
  void stop() noexcept;

  [[nodiscard]] const PoolSpec& spec() const override { return spec_; }
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> workers() const override;
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> live_workers() const override;
  void set_desired_size(int replicas) override;
  [[nodiscard]] std::vector<PoolEvent> events() const override { return events_.events(); }
  void subscribe(std::function<void(const PoolEvent&)> listener) override {
    events_.subscribe(std::move(listener));
  }
  std::shared_ptr<Worker> launch_environment(const std::string& runtime_api) override;

  // For the pool's workers.
  [[nodiscard]] const std::string& service_arn() const { return service_arn_; }
  [[nodiscard]] const std::string& cluster() const { return cluster_; }
  [[nodiscard]] const std::string& service() const { return service_; }
  [[nodiscard]] const AwsFleetContext& context() const { return context_; }
  void record(PoolEvent::Kind kind, const std::string& worker_id, std::string detail);
  /// The ARNs of every task the pool has seen.
  [[nodiscard]] std::set<std::string> known_task_arns() const;
  /// Lists the tasks now: new running ones become workers, vanished ones die.
  void refresh();
  /// `stopped` was stopped by the run: its replacement, when seen, is
  /// recorded as `replaced` with the new worker's id.
  void expect_replacement(const std::string& stopped_worker_id);

 private:
  void follow();

  PoolSpec spec_;
  std::string service_arn_;
  std::string cluster_;
  std::string service_;
  AwsFleetContext context_;
  PoolEventLog events_;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<EcsTaskWorker>> workers_;
  std::map<std::string, std::shared_ptr<EcsTaskWorker>> by_arn_;
  std::vector<std::string> awaiting_replacement_;
  std::mutex refresh_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread follower_;
};

}  // namespace loveless::stacks::aws
