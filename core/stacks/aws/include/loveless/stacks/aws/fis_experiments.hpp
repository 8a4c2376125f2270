#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/aws_api/call_guard.hpp"
#include "loveless/aws_api/fis_api.hpp"
#include "loveless/aws_api/fis_templates.hpp"

namespace loveless::stacks::aws {

/// The AWS FIS experiments a run starts for its latency faults, and their
/// clean-up. Each fault is one experiment template (made for this run,
/// tagged with its id) and one experiment started from it; healing stops the
/// experiment; `clean_up` stops what still runs and deletes every template.
///
/// Experiments run for `max_duration` unless stopped (FIS needs a duration;
/// the scenario's deadline bounds it), so a run that dies leaves no fault on
/// for longer than the run could have lasted.
///
/// Thread-safety: every method may be called from any thread.
class FisExperiments {
 public:
  FisExperiments(std::shared_ptr<aws_api::FisApi> fis, std::shared_ptr<aws_api::AwsCallGuard> guard,
                 aws_api::FisTemplateCommon common, std::chrono::seconds max_duration);

  /// Delays every invocation of the Lambda function `function_arn` by `delay`
  /// (`aws:lambda:invocation-add-delay`). Returns the experiment id.
  std::string delay_lambda(const std::string& function_arn, std::chrono::milliseconds delay);
  /// Delays the network traffic of one ECS task (`aws:ecs:task-network-latency`
  /// on that task's ARN) of the service `service_arn`. Returns the experiment id.
  std::string delay_ecs_task(const std::string& service_arn, const std::string& cluster,
                             const std::string& service, const std::string& task_arn,
                             std::chrono::milliseconds delay);
  /// The template `delay_lambda` makes (also what `--dry-run` prints).
  [[nodiscard]] static nlohmann::json lambda_delay_template(aws_api::FisTemplateCommon common,
                                                            const std::string& function_arn,
                                                            std::chrono::milliseconds delay,
                                                            std::chrono::seconds duration);
  /// The template `delay_ecs_task` makes: the service's latency action
  /// narrowed to the one task `task_arn`.
  [[nodiscard]] static nlohmann::json ecs_task_delay_template(
      aws_api::FisTemplateCommon common, const std::string& cluster, const std::string& service,
      const std::string& task_arn, std::chrono::milliseconds delay, std::chrono::seconds duration);
  /// FIS actions last at least a minute: `duration`, or a minute.
  [[nodiscard]] static std::chrono::seconds action_duration(std::chrono::seconds duration);

  /// Stops the experiment `id` (no-op when the run did not start it, or when it
  /// already ended: completed, stopped or failed). Throws `aws::AwsError`.
  void stop(const std::string& id);
  /// Stops every running experiment and deletes every template; never throws,
  /// returns what it could not undo (one line each).
  std::vector<std::string> clean_up() noexcept;

  [[nodiscard]] std::chrono::seconds max_duration() const { return max_duration_; }

 private:
  std::string start(const nlohmann::json& template_json, const std::string& bound);
  /// StopExperiment; an error is passed on unless GetExperiment says the
  /// experiment already ended.
  void stop_unless_ended(const std::string& id, const std::string& bound);

  std::shared_ptr<aws_api::FisApi> fis_;
  std::shared_ptr<aws_api::AwsCallGuard> guard_;
  aws_api::FisTemplateCommon common_;
  std::chrono::seconds max_duration_;
  std::mutex mutex_;
  /// Template id -> the binding it acts on; experiment id -> the binding.
  std::map<std::string, std::string> templates_;
  std::map<std::string, std::string> running_;
};

/// The latency fault of one worker, as one FIS experiment at a time: a new
/// delay stops the running experiment first, and 0 ms only stops it (heals).
///
/// Thread-safety: every method may be called from any thread.
class WorkerLatency {
 public:
  /// `start` starts the experiment for `delay` and returns its id (called
  /// only for a positive delay). Throws what `FisExperiments::stop` and
  /// `start` throw.
  void set(FisExperiments& fis, std::chrono::milliseconds delay,
           const std::function<std::string()>& start);

 private:
  std::mutex mutex_;
  std::string experiment_;
};

}  // namespace loveless::stacks::aws
