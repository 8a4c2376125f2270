#include "loveless/stacks/aws/fis_experiments.hpp"

#include <algorithm>

#include "loveless/aws/json_client.hpp"

namespace loveless::stacks::aws {
namespace {

/// FIS's final experiment states ("Experiment states", AWS FIS User Guide).
bool finished(const std::string& status) {
  return status == "completed" || status == "stopped" || status == "failed" ||
         status == "cancelled";
}

}  // namespace

std::chrono::seconds FisExperiments::action_duration(std::chrono::seconds duration) {
  return std::max(duration, std::chrono::seconds(60));
}

FisExperiments::FisExperiments(std::shared_ptr<aws_api::FisApi> fis,
                               std::shared_ptr<aws_api::AwsCallGuard> guard,
                               aws_api::FisTemplateCommon common, std::chrono::seconds max_duration)
    : fis_(std::move(fis)),
      guard_(std::move(guard)),
      common_(std::move(common)),
      max_duration_(action_duration(max_duration)) {}

nlohmann::json FisExperiments::lambda_delay_template(aws_api::FisTemplateCommon common,
                                                     const std::string& function_arn,
                                                     std::chrono::milliseconds delay,
                                                     std::chrono::seconds duration) {
  aws_api::LambdaDelayFault fault;
  fault.function_arn = function_arn;
  fault.duration = action_duration(duration);
  fault.startup_delay = delay;
  common.description = "loveless " + common.run_id + ": " + std::to_string(delay.count()) +
                       " ms delay on " + function_arn;
  return aws_api::lambda_invocation_delay_template(common, fault);
}

nlohmann::json FisExperiments::ecs_task_delay_template(
    aws_api::FisTemplateCommon common, const std::string& cluster, const std::string& service,
    const std::string& task_arn, std::chrono::milliseconds delay, std::chrono::seconds duration) {
  aws_api::EcsNetworkLatencyFault fault;
  fault.cluster = cluster;
  fault.service = service;
  fault.duration = action_duration(duration);
  fault.delay = delay;
  fault.jitter = std::chrono::milliseconds(0);
  common.description = "loveless " + common.run_id + ": " + std::to_string(delay.count()) +
                       " ms network latency on " + task_arn;
  auto made = aws_api::ecs_task_network_latency_template(common, fault);
  // One worker, not the whole service: the target names the task itself.
  for (auto& [name, target] : made["targets"].items()) {
    target.erase("parameters");
    target.erase("resourceTags");
    target["resourceArns"] = nlohmann::json::array({task_arn});
    target["selectionMode"] = "ALL";
  }
  return made;
}

std::string FisExperiments::delay_lambda(const std::string& function_arn,
                                         std::chrono::milliseconds delay) {
  return start(lambda_delay_template(common_, function_arn, delay, max_duration_), function_arn);
}

std::string FisExperiments::delay_ecs_task(const std::string& service_arn,
                                           const std::string& cluster, const std::string& service,
                                           const std::string& task_arn,
                                           std::chrono::milliseconds delay) {
  return start(ecs_task_delay_template(common_, cluster, service, task_arn, delay, max_duration_),
               service_arn);
}

std::string FisExperiments::start(const nlohmann::json& template_json, const std::string& bound) {
  const auto template_id = fis_->create_experiment_template(template_json, *guard_, bound);
  {
    std::lock_guard lock(mutex_);
    templates_[template_id] = bound;
  }
  auto experiment = fis_->start_experiment(template_id, *guard_, bound);
  std::lock_guard lock(mutex_);
  running_[experiment] = bound;
  return experiment;
}

void FisExperiments::stop(const std::string& id) {
  std::string bound;
  {
    std::lock_guard lock(mutex_);
    const auto it = running_.find(id);
    if (it == running_.end()) return;
    bound = it->second;
    running_.erase(it);
  }
  stop_unless_ended(id, bound);
}

void FisExperiments::stop_unless_ended(const std::string& id, const std::string& bound) {
  try {
    fis_->stop_experiment(id, *guard_, bound);
  } catch (const ::loveless::aws::AwsError&) {
    // FIS refuses to stop an experiment that already ended (its duration
    // passed, or a stop condition stopped it): nothing is left to undo then.
    bool ended = false;
    try {
      ended = finished(fis_->get_experiment(id).status);
    } catch (const std::exception&) {
      ended = false;  // the stop's own error is the one to report
    }
    if (ended) return;
    throw;
  }
}

std::vector<std::string> FisExperiments::clean_up() noexcept {
  std::vector<std::string> failures;
  std::map<std::string, std::string> running;
  std::map<std::string, std::string> templates;
  {
    std::lock_guard lock(mutex_);
    running.swap(running_);
    templates.swap(templates_);
  }
  for (const auto& [id, bound] : running) {
    try {
      stop_unless_ended(id, bound);
    } catch (const std::exception& e) {
      failures.push_back("fis:StopExperiment " + id + ": " + e.what());
    }
  }
  for (const auto& [id, bound] : templates) {
    try {
      fis_->delete_experiment_template(id, *guard_, bound);
    } catch (const std::exception& e) {
      failures.push_back("fis:DeleteExperimentTemplate " + id + ": " + e.what());
    }
  }
  return failures;
}

void WorkerLatency::set(FisExperiments& fis, std::chrono::milliseconds delay,
                        const std::function<std::string()>& start) {
  std::lock_guard lock(mutex_);
  if (!experiment_.empty()) {
    fis.stop(experiment_);
    experiment_.clear();
  }
  if (delay.count() > 0) experiment_ = start();
}

}  // namespace loveless::stacks::aws
