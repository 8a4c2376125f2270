#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loveless/stacks/aws/aws_fleet.hpp"
#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/pool_event_log.hpp"

namespace loveless::stacks::aws {

class LambdaFunctionWorker;

/// A function pool that is one Lambda function. AWS does not let a caller
/// address one execution environment, so the pool has one worker, named
/// after the function, standing for all of its environments: a fault on it
/// acts on every environment at once (docs/aws.md).
///
/// Thread-safety: every method may be called from any thread.
class LambdaFunctionPool final : public Pool,
                                 public std::enable_shared_from_this<LambdaFunctionPool> {
 public:
  LambdaFunctionPool(PoolSpec spec, std::string function_arn, std::string function_name,
                     AwsFleetContext context);

  /// Reads the function's configuration (throws `aws::AwsError` when Lambda
  /// refuses, e.g. ResourceNotFoundException) and makes the worker.
  void start();
  /// Puts back the environment variables the run changed, if any. Never
  /// throws; returns what it could not undo.
  std::vector<std::string> restore() noexcept;

  [[nodiscard]] const PoolSpec& spec() const override { return spec_; }
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> workers() const override;
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> live_workers() const override;
  void set_desired_size(int replicas) override;
  [[nodiscard]] std::vector<PoolEvent> events() const override { return events_.events(); }
  void subscribe(std::function<void(const PoolEvent&)> listener) override {
    events_.subscribe(std::move(listener));
  }
  std::shared_ptr<Worker> launch_environment(const std::string& runtime_api) override;

  // For the worker.
  [[nodiscard]] const std::string& function_arn() const { return function_arn_; }
  [[nodiscard]] const std::string& function_name() const { return function_name_; }
  [[nodiscard]] const AwsFleetContext& context() const { return context_; }
  void record(PoolEvent::Kind kind, std::string detail);
  /// Makes every later invocation start in a new execution environment by
  /// changing the function's configuration (LambdaApi::recycle_environments);
  /// the variables as they were before the run's first change are kept for
  /// `restore`. False when the guard's dry run kept the call back.
  bool recycle();

 private:
  PoolSpec spec_;
  std::string function_arn_;
  std::string function_name_;
  AwsFleetContext context_;
  PoolEventLog events_;
  std::shared_ptr<LambdaFunctionWorker> worker_;
  std::mutex mutex_;
  std::optional<aws_api::EnvironmentVariables> original_;
  std::atomic<unsigned> recycles_{0};
};

/// The execution environments of one Lambda function, as one worker.
///
/// - stop, restart and wipe-scratch: recycle the environments. Lambda starts
///   every later invocation in a new environment after a configuration
///   change, so /tmp and memory are gone; invocations in flight finish in
///   their old environment (Lambda Developer Guide, "Lambda execution
///   environment lifecycle").
/// - latency: AWS FIS `aws:lambda:invocation-add-delay`, stopped when healed.
/// - kill, pause, resume: `UnsupportedPrimitive` (no AWS API ends or freezes
///   one environment).
class LambdaFunctionWorker final : public Worker {
 public:
  LambdaFunctionWorker(std::weak_ptr<LambdaFunctionPool> pool, std::string pool_name,
                       std::string function_name, std::string function_arn);

  [[nodiscard]] const std::string& id() const override { return id_; }
  [[nodiscard]] const std::string& pool() const override { return pool_name_; }
  [[nodiscard]] std::string platform_handle() const override { return function_arn_; }
  [[nodiscard]] const std::filesystem::path& scratch_dir() const override { return scratch_; }
  [[nodiscard]] WorkerState state() const override { return WorkerState::kRunning; }
  [[nodiscard]] std::set<Primitive> capabilities() const override;

  void kill() override;
  void stop(std::chrono::milliseconds grace) override;
  void restart(std::chrono::milliseconds grace) override;
  void pause() override;
  void resume() override;
  void wipe_scratch() override;
  void set_latency(std::chrono::milliseconds delay) override;

 private:
  [[nodiscard]] std::shared_ptr<LambdaFunctionPool> owner() const;
  [[noreturn]] void unsupported(Primitive primitive, const std::string& why) const;

  std::weak_ptr<LambdaFunctionPool> pool_;
  std::string pool_name_;
  std::string id_;
  std::string function_arn_;
  std::filesystem::path scratch_;
  WorkerLatency latency_;
};

}  // namespace loveless::stacks::aws
