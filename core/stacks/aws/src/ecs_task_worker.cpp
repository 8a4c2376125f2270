#include "loveless/stacks/aws/ecs_task_worker.hpp"

#include "loveless/stacks/aws/arn.hpp"
#include "loveless/stacks/aws/ecs_service_pool.hpp"

namespace loveless::stacks::aws {

EcsTaskWorker::EcsTaskWorker(std::weak_ptr<EcsServicePool> pool, std::string pool_name,
                             std::string task_arn)
    : pool_(std::move(pool)),
      pool_name_(std::move(pool_name)),
      task_arn_(std::move(task_arn)),
      id_(last_resource_part(task_arn_)) {}

WorkerState EcsTaskWorker::state() const {
  return dead_ ? WorkerState::kDead : WorkerState::kRunning;
}

std::set<Primitive> EcsTaskWorker::capabilities() const {
  std::set<Primitive> supported{Primitive::kKill, Primitive::kStop, Primitive::kRestart};
  const auto pool = pool_.lock();
  if (pool && pool->context().fis) supported.insert(Primitive::kLatency);
  return supported;
}

std::shared_ptr<EcsServicePool> EcsTaskWorker::owner() const {
  auto pool = pool_.lock();
  if (!pool) throw UnsupportedPrimitive("worker " + id_ + ": its pool is gone");
  return pool;
}

void EcsTaskWorker::unsupported(Primitive primitive, const std::string& why) const {
  throw UnsupportedPrimitive(std::string(to_string(primitive)) + " on ECS task " + id_ + ": " +
                             why);
}

bool EcsTaskWorker::stop_task(const char* fault) {
  const auto pool = owner();
  const auto& context = pool->context();
  const auto stopped = context.ecs->stop_task(
      pool->cluster(), task_arn_, "loveless " + context.run_id + ": " + fault + " fault",
      *context.guard, pool->service_arn());
  if (!stopped) return false;  // dry run
  dead_ = true;
  pool->expect_replacement(id_);
  return true;
}

void EcsTaskWorker::kill() {
  if (dead_) return;
  if (stop_task("kill")) owner()->record(PoolEvent::Kind::kKilled, id_, "StopTask");
}

void EcsTaskWorker::stop(std::chrono::milliseconds /*grace*/) {
  if (dead_) return;
  if (stop_task("stop")) {
    owner()->record(PoolEvent::Kind::kStopped, id_, "StopTask (the task's stopTimeout applies)");
  }
}

void EcsTaskWorker::restart(std::chrono::milliseconds /*grace*/) {
  if (dead_) unsupported(Primitive::kRestart, "the task has stopped");
  const auto pool = owner();
  const auto known = pool->known_task_arns();
  if (!stop_task("restart")) return;
  const auto& context = pool->context();
  // The service scheduler replaces the task; the restart is done when the
  // replacement runs (ECS has no in-place restart).
  const auto replacement =
      context.ecs->wait_for_replacement(pool->cluster(), pool->service(), known,
                                        context.replacement_timeout, context.ecs_poll_interval);
  pool->refresh();
  pool->record(PoolEvent::Kind::kRestarted, id_,
               "replaced by task " + last_resource_part(replacement.task_arn));
}

void EcsTaskWorker::pause() {
  unsupported(Primitive::kPause, "ECS cannot freeze a task; use latency(...) or kill()");
}

void EcsTaskWorker::resume() {
  unsupported(Primitive::kResume, "ECS cannot freeze a task, so none is paused");
}

void EcsTaskWorker::wipe_scratch() {
  unsupported(Primitive::kWipeScratch,
              "a task's /tmp is inside its container; restart() replaces the task, and its "
              "scratch with it");
}

void EcsTaskWorker::set_latency(std::chrono::milliseconds delay) {
  const auto pool = owner();
  const auto& fis = pool->context().fis;
  if (!fis) {
    unsupported(Primitive::kLatency, "no FIS role is bound (s.aws().fis_role(\"arn:...\"))");
  }
  latency_.set(*fis, delay, [&] {
    if (dead_) unsupported(Primitive::kLatency, "the task has stopped");
    return fis->delay_ecs_task(pool->service_arn(), pool->cluster(), pool->service(), task_arn_,
                               delay);
  });
  pool->record(PoolEvent::Kind::kLatencySet, id_, std::to_string(delay.count()) + " ms");
}

}  // namespace loveless::stacks::aws
