#include "loveless/stacks/aws/ecs_service_pool.hpp"

#include <algorithm>
#include <stdexcept>

#include "loveless/stacks/aws/ecs_task_worker.hpp"

namespace loveless::stacks::aws {

EcsServicePool::EcsServicePool(PoolSpec spec, std::string service_arn, std::string cluster,
                               std::string service, AwsFleetContext context)
    : spec_(std::move(spec)),
      service_arn_(std::move(service_arn)),
      cluster_(std::move(cluster)),
      service_(std::move(service)),
      context_(std::move(context)) {}

EcsServicePool::~EcsServicePool() { stop(); }

void EcsServicePool::start() {
  refresh();
  follower_ = std::thread([this] { follow(); });
}

void EcsServicePool::stop() noexcept {
  {
    std::lock_guard lock(refresh_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (follower_.joinable()) follower_.join();
}

void EcsServicePool::follow() {
  std::unique_lock lock(refresh_mutex_);
  for (;;) {
    if (wake_.wait_for(lock, context_.ecs_poll_interval, [this] { return stopping_; })) return;
    lock.unlock();
    try {
      refresh();
    } catch (const std::exception&) {
      // Throttled or briefly unreachable: the next listing catches up.
    }
    lock.lock();
  }
}

void EcsServicePool::refresh() {
  const auto listed = context_.ecs->list_tasks(cluster_, service_);
  std::vector<std::string> fresh;
  std::vector<std::shared_ptr<EcsTaskWorker>> vanished;
  {
    std::lock_guard lock(mutex_);
    for (const auto& arn : listed) {
      if (!by_arn_.contains(arn)) fresh.push_back(arn);
    }
    for (const auto& [arn, worker] : by_arn_) {
      if (worker->state() != WorkerState::kDead &&
          std::find(listed.begin(), listed.end(), arn) == listed.end()) {
        vanished.push_back(worker);
      }
    }
  }
  // Only RUNNING tasks are workers: a PENDING one is picked up once it runs.
  std::vector<std::string> running;
  if (!fresh.empty()) {
    for (const auto& task : context_.ecs->describe_tasks(cluster_, fresh)) {
      if (task.last_status == "RUNNING" && task.desired_status == "RUNNING") {
        running.push_back(task.task_arn);
      }
    }
  }
  for (const auto& worker : vanished) {
    worker->mark_dead();
    record(PoolEvent::Kind::kDied, worker->id(), "task no longer listed by the service");
  }
  for (const auto& arn : running) {
    auto worker = std::make_shared<EcsTaskWorker>(weak_from_this(), spec_.name, arn);
    std::string replaces;
    {
      std::lock_guard lock(mutex_);
      if (by_arn_.contains(arn)) continue;
      by_arn_[arn] = worker;
      workers_.push_back(worker);
      if (!awaiting_replacement_.empty()) {
        replaces = awaiting_replacement_.front();
        awaiting_replacement_.erase(awaiting_replacement_.begin());
      }
    }
    if (!replaces.empty()) record(PoolEvent::Kind::kReplaced, replaces, worker->id());
    record(PoolEvent::Kind::kStarted, worker->id(), arn);
  }
}

void EcsServicePool::expect_replacement(const std::string& stopped_worker_id) {
  std::lock_guard lock(mutex_);
  awaiting_replacement_.push_back(stopped_worker_id);
}

void EcsServicePool::record(PoolEvent::Kind kind, const std::string& worker_id,
                            std::string detail) {
  PoolEvent event;
  event.kind = kind;
  event.pool = spec_.name;
  event.worker_id = worker_id;
  event.detail = std::move(detail);
  events_.record(std::move(event));
}

std::set<std::string> EcsServicePool::known_task_arns() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> arns;
  for (const auto& [arn, worker] : by_arn_) arns.insert(arn);
  return arns;
}

std::vector<std::shared_ptr<Worker>> EcsServicePool::workers() const {
  std::lock_guard lock(mutex_);
  return {workers_.begin(), workers_.end()};
}

std::vector<std::shared_ptr<Worker>> EcsServicePool::live_workers() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Worker>> live;
  for (const auto& worker : workers_) {
    if (worker->state() != WorkerState::kDead) live.push_back(worker);
  }
  return live;
}

void EcsServicePool::set_desired_size(int /*replicas*/) {
  throw std::logic_error("the aws stack does not change ECS service " + service_arn_ +
                         " (its desired count is the service's own)");
}

std::shared_ptr<Worker> EcsServicePool::launch_environment(const std::string& /*runtime_api*/) {
  throw std::logic_error("pool " + spec_.name + " is an ECS service, not a function");
}

}  // namespace loveless::stacks::aws
