#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "loveless/stacks/aws/fis_experiments.hpp"
#include "loveless/stacks/worker.hpp"

namespace loveless::stacks::aws {

class EcsServicePool;

/// One task of an ECS service, as a worker.
///
/// - kill and stop: ECS StopTask. ECS sends SIGTERM and, after the
///   container's `stopTimeout` (task definition; default 30 s), SIGKILL; the
///   API has no immediate kill, so `grace` is not used (docs/aws.md).
/// - restart: StopTask, then waits until the service has started a
///   replacement task (a new worker with a new id; the stopped one stays dead).
/// - latency: an AWS FIS `aws:ecs:task-network-latency` experiment on this
///   task, stopped when healed (needs the FIS role binding).
/// - pause, resume and wipe-scratch: `UnsupportedPrimitive` (ECS cannot
///   freeze a task; a task's /tmp is inside its container).
///
/// Thread-safety: every method may be called from any thread.
class EcsTaskWorker final : public Worker {
 public:
  EcsTaskWorker(std::weak_ptr<EcsServicePool> pool, std::string pool_name, std::string task_arn);

  [[nodiscard]] const std::string& id() const override { return id_; }
  [[nodiscard]] const std::string& pool() const override { return pool_name_; }
  [[nodiscard]] std::string platform_handle() const override { return task_arn_; }
  [[nodiscard]] const std::filesystem::path& scratch_dir() const override { return scratch_; }
  [[nodiscard]] WorkerState state() const override;
  [[nodiscard]] std::set<Primitive> capabilities() const override;

  void kill() override;
  void stop(std::chrono::milliseconds grace) override;
  void restart(std::chrono::milliseconds grace) override;
  void pause() override;
  void resume() override;
  void wipe_scratch() override;
  void set_latency(std::chrono::milliseconds delay) override;

  [[nodiscard]] const std::string& task_arn() const { return task_arn_; }
  /// The pool saw the task stop (or vanish).
  void mark_dead() { dead_ = true; }

 private:
  /// StopTask through the guard; false when the guard's dry run kept it back.
  bool stop_task(const char* fault);
  [[nodiscard]] std::shared_ptr<EcsServicePool> owner() const;
  [[noreturn]] void unsupported(Primitive primitive, const std::string& why) const;

  std::weak_ptr<EcsServicePool> pool_;
  std::string pool_name_;
  std::string task_arn_;
  std::string id_;
  std::filesystem::path scratch_;
  std::atomic<bool> dead_{false};
  WorkerLatency latency_;
};

}  // namespace loveless::stacks::aws
