#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

/// Builders of AWS FIS experiment templates (the CreateExperimentTemplate
/// request body, without its clientToken) for the faults the AWS stack
/// delegates to FIS. Action ids, parameters and target resource types follow
/// the "AWS FIS Actions reference" (docs.aws.amazon.com/fis/latest/userguide/
/// fis-actions-reference.html): the Lambda actions need the AWS FIS Lambda
/// extension layer on the function, the ECS task actions an SSM agent
/// sidecar in the task ("Use the AWS FIS aws:ecs:task actions"). FIS action
/// parameters are strings, durations ISO 8601 (PT1M to PT12H).
namespace loveless::aws_api {

/// What every template of a run carries.
struct FisTemplateCommon {
  /// The IAM role FIS assumes to run the experiment.
  std::string role_arn;
  std::string description;
  /// Tagged `loveless:run` on the template, so a run's leftovers can be found.
  std::string run_id;
  /// When set, a stop condition `aws:cloudwatch:alarm` on this alarm ARN:
  /// FIS stops the experiment when the alarm goes to ALARM. Else `none`.
  std::optional<std::string> stop_alarm_arn;
};

/// aws:lambda:invocation-add-delay on one function (target aws:lambda:function by ARN).
struct LambdaDelayFault {
  std::string function_arn;
  std::chrono::seconds duration{60};              ///< how long the action lasts (1 min to 12 h)
  int invocation_percentage = 100;                ///< 1-100 of the invocations delayed
  std::chrono::milliseconds startup_delay{1000};  ///< 0-900000 ms before the code runs
};

/// aws:lambda:invocation-error on one function.
struct LambdaErrorFault {
  std::string function_arn;
  std::chrono::seconds duration{60};
  int invocation_percentage = 100;
  /// true: the error is returned without running the function's code.
  bool prevent_execution = true;
};

/// aws:ecs:task-network-latency on the tasks of one ECS service (target
/// aws:ecs:task with parameters cluster and service).
struct EcsNetworkLatencyFault {
  std::string cluster;  ///< cluster name
  std::string service;  ///< service name
  std::chrono::seconds duration{60};
  std::chrono::milliseconds delay{200};  ///< FIS default 200 ms
  std::chrono::milliseconds jitter{10};  ///< FIS default 10 ms
  /// Let SSM install the action's tools (tc, jq, ...) in the agent sidecar.
  bool install_dependencies = true;
  /// FIS selection mode: ALL, COUNT(n), PERCENT(n).
  std::string selection_mode = "ALL";
};

/// `PT2M`, `PT1H30M`, `PT45S`; whole seconds, at least PT0S.
[[nodiscard]] std::string iso8601_duration(std::chrono::seconds duration);

/// The CreateExperimentTemplate body (description, roleArn, stopConditions,
/// targets, actions, tags) for a Lambda invocation delay. Shape:
/// `{"actions": {"LovelessFault": {"actionId": "aws:lambda:invocation-add-delay",
///   "parameters": {"duration": "PT1M", "invocationPercentage": "100",
///   "startupDelayMilliseconds": "1000"}, "targets": {"Functions": "LovelessTargets"}}},
///   "targets": {"LovelessTargets": {"resourceType": "aws:lambda:function",
///   "resourceArns": [...], "selectionMode": "ALL"}}, ...}`.
[[nodiscard]] nlohmann::json lambda_invocation_delay_template(const FisTemplateCommon& common,
                                                              const LambdaDelayFault& fault);
/// As above with aws:lambda:invocation-error (`preventExecution` "true"/"false").
[[nodiscard]] nlohmann::json lambda_invocation_error_template(const FisTemplateCommon& common,
                                                              const LambdaErrorFault& fault);
/// aws:ecs:task-network-latency (`delayMilliseconds`, `jitterMilliseconds`,
/// `installDependencies`), action target key `Tasks`, target
/// `{"resourceType": "aws:ecs:task", "parameters": {"cluster": ..., "service": ...}}`.
[[nodiscard]] nlohmann::json ecs_task_network_latency_template(const FisTemplateCommon& common,
                                                               const EcsNetworkLatencyFault& fault);

}  // namespace loveless::aws_api
