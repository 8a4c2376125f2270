#include "loveless/stacks/aws/lambda_function_pool.hpp"

#include <stdexcept>

namespace loveless::stacks::aws {

LambdaFunctionPool::LambdaFunctionPool(PoolSpec spec, std::string function_arn,
                                       std::string function_name, AwsFleetContext context)
    : spec_(std::move(spec)),
      function_arn_(std::move(function_arn)),
      function_name_(std::move(function_name)),
      context_(std::move(context)) {}

void LambdaFunctionPool::start() {
  const auto configuration = context_.lambda->get_configuration(function_arn_);
  worker_ = std::make_shared<LambdaFunctionWorker>(weak_from_this(), spec_.name, function_name_,
                                                   function_arn_);
  record(PoolEvent::Kind::kStarted,
         "function " + configuration.function_arn + ", state " + configuration.state);
}

void LambdaFunctionPool::record(PoolEvent::Kind kind, std::string detail) {
  PoolEvent event;
  event.kind = kind;
  event.pool = spec_.name;
  event.worker_id = function_name_;
  event.detail = std::move(detail);
  events_.record(std::move(event));
}

bool LambdaFunctionPool::recycle() {
  std::lock_guard lock(mutex_);
  const auto nonce = context_.run_id + "-" + std::to_string(++recycles_);
  auto before =
      context_.lambda->recycle_environments(function_arn_, nonce, *context_.guard, function_arn_);
  if (context_.guard->dry_run()) return false;
  if (!original_) original_ = std::move(before);
  return true;
}

std::vector<std::string> LambdaFunctionPool::restore() noexcept {
  std::lock_guard lock(mutex_);
  if (!original_) return {};
  try {
    context_.lambda->update_environment(function_arn_, *original_, *context_.guard, function_arn_);
    context_.lambda->wait_until_updated(function_arn_, std::chrono::minutes(3),
                                        std::chrono::seconds(1));
    original_.reset();
    return {};
  } catch (const std::exception& e) {
    return {"lambda:UpdateFunctionConfiguration " + function_arn_ +
            " (restoring its environment variables): " + e.what()};
  }
}

std::vector<std::shared_ptr<Worker>> LambdaFunctionPool::workers() const {
  if (!worker_) return {};
  return {worker_};
}

std::vector<std::shared_ptr<Worker>> LambdaFunctionPool::live_workers() const { return workers(); }

void LambdaFunctionPool::set_desired_size(int /*replicas*/) {
  throw std::logic_error("Lambda function " + function_arn_ +
                         " scales itself; the aws stack sets no size");
}

std::shared_ptr<Worker> LambdaFunctionPool::launch_environment(const std::string& /*runtime_api*/) {
  throw std::logic_error("Lambda starts the environments of " + function_arn_ +
                         "; the aws stack cannot launch one");
}

LambdaFunctionWorker::LambdaFunctionWorker(std::weak_ptr<LambdaFunctionPool> pool,
                                           std::string pool_name, std::string function_name,
                                           std::string function_arn)
    : pool_(std::move(pool)),
      pool_name_(std::move(pool_name)),
      id_(std::move(function_name)),
      function_arn_(std::move(function_arn)) {}

std::set<Primitive> LambdaFunctionWorker::capabilities() const {
  std::set<Primitive> supported{Primitive::kStop, Primitive::kRestart, Primitive::kWipeScratch};
  const auto pool = pool_.lock();
  if (pool && pool->context().fis) supported.insert(Primitive::kLatency);
  return supported;
}

std::shared_ptr<LambdaFunctionPool> LambdaFunctionWorker::owner() const {
  auto pool = pool_.lock();
  if (!pool) throw UnsupportedPrimitive("function " + id_ + ": its pool is gone");
  return pool;
}

void LambdaFunctionWorker::unsupported(Primitive primitive, const std::string& why) const {
  throw UnsupportedPrimitive(std::string(to_string(primitive)) + " on Lambda function " + id_ +
                             ": " + why);
}

void LambdaFunctionWorker::kill() {
  unsupported(Primitive::kKill,
              "AWS has no API to end one execution environment; stop() or restart() recycles "
              "them all");
}

void LambdaFunctionWorker::stop(std::chrono::milliseconds /*grace*/) {
  const auto pool = owner();
  if (pool->recycle()) pool->record(PoolEvent::Kind::kStopped, "execution environments recycled");
}

void LambdaFunctionWorker::restart(std::chrono::milliseconds /*grace*/) {
  const auto pool = owner();
  if (pool->recycle()) {
    pool->record(PoolEvent::Kind::kRestarted, "execution environments recycled");
  }
}

void LambdaFunctionWorker::pause() {
  unsupported(Primitive::kPause, "Lambda cannot freeze an environment; use latency(...)");
}

void LambdaFunctionWorker::resume() {
  unsupported(Primitive::kResume, "Lambda cannot freeze an environment, so none is paused");
}

void LambdaFunctionWorker::wipe_scratch() {
  const auto pool = owner();
  if (pool->recycle()) {
    pool->record(PoolEvent::Kind::kScratchWiped,
                 "execution environments recycled (new ones start with an empty /tmp)");
  }
}

void LambdaFunctionWorker::set_latency(std::chrono::milliseconds delay) {
  const auto pool = owner();
  const auto& fis = pool->context().fis;
  if (!fis) {
    unsupported(Primitive::kLatency, "no FIS role is bound (s.aws().fis_role(\"arn:...\"))");
  }
  latency_.set(*fis, delay, [&] { return fis->delay_lambda(function_arn_, delay); });
  pool->record(PoolEvent::Kind::kLatencySet, std::to_string(delay.count()) + " ms");
}

}  // namespace loveless::stacks::aws
