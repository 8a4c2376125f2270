#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace loveless::scenario {

/// The AWS resources one pool of the scenario is, on the aws stack.
struct AwsPoolBinding {
  enum class Kind {
    kEcsService,      ///< an activity pool: the tasks of an ECS service
    kLambdaFunction,  ///< a function pool: the execution environments of a Lambda function
  };
  Kind kind = Kind::kEcsService;
  /// `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>` or
  /// `arn:aws:lambda:<region>:<account>:function:<name>`.
  std::string arn;
  /// ECS pools: the activity their tasks poll
  /// (`arn:aws:states:<region>:<account>:activity:<name>`).
  std::string activity_arn;
};

/// When the aws stack aborts a run (as AWS FIS stop conditions do): a named
/// CloudWatch alarm in ALARM, or more failed executions than a bound.
struct AwsStopConditions {
  /// CloudWatch alarm names (DescribeAlarms AlarmNames) or alarm ARNs.
  std::vector<std::string> alarms;
  /// Failed / closed executions above this (0..1) aborts, once at least
  /// `failure_rate_min_executions` have closed.
  std::optional<double> max_failure_rate;
  int failure_rate_min_executions = 5;
  /// How often alarms are read (DescribeAlarms, one call per check).
  std::chrono::milliseconds alarm_poll_interval{10'000};
};

/// A scenario's AWS bindings: what each pool and workflow is on the aws stack.
/// The local stacks ignore them; on the aws stack they are the whole
/// allow-list of resources a run may change (docs/aws.md "Guard rails").
struct AwsBindings {
  std::map<std::string, AwsPoolBinding> pools;
  /// Workflow name -> the ARN of an existing state machine to run (no deploy).
  std::map<std::string, std::string> state_machines;
  /// The IAM role a workflow without a bound state machine is deployed with
  /// (CreateStateMachine roleArn); the run deletes that state machine at the end.
  std::string execution_role_arn;
  /// The IAM role AWS FIS assumes for latency faults (CreateExperimentTemplate roleArn).
  std::string fis_role_arn;
  AwsStopConditions stop_conditions;

  [[nodiscard]] bool empty() const {
    return pools.empty() && state_machines.empty() && execution_role_arn.empty();
  }
  /// Every ARN the bindings name (pools, activities, state machines, roles):
  /// the guard's allow-list.
  [[nodiscard]] std::set<std::string> resources() const;
};

/// The builder `s.aws()` returns. Each call records one binding; the aws
/// stack checks them before anything starts (docs/aws.md).
class AwsBindingsBuilder {
 public:
  explicit AwsBindingsBuilder(AwsBindings& bindings) : bindings_(&bindings) {}
  /// Activity pool `pool` is the tasks of the ECS service `service_arn`,
  /// which poll `activity_arn`.
  AwsBindingsBuilder& ecs_service(const std::string& pool, std::string service_arn,
                                  std::string activity_arn);
  /// Function pool `pool` is the Lambda function `function_arn`.
  AwsBindingsBuilder& lambda_function(const std::string& pool, std::string function_arn);
  /// Workflow `workflow` runs as the existing state machine `arn` (its
  /// definition is not changed).
  AwsBindingsBuilder& state_machine(const std::string& workflow, std::string arn);
  /// Workflows without a bound state machine are deployed with this role.
  AwsBindingsBuilder& execution_role(std::string role_arn);
  /// The role AWS FIS assumes for latency faults.
  AwsBindingsBuilder& fis_role(std::string role_arn);
  /// Abort the run when this CloudWatch alarm is in ALARM.
  AwsBindingsBuilder& stop_on_alarm(std::string alarm);
  /// Abort the run when more than `rate` (0..1) of closed executions failed,
  /// once `min_executions` have closed.
  AwsBindingsBuilder& stop_above_failure_rate(double rate, int min_executions = 5);

 private:
  AwsBindings* bindings_;
};

}  // namespace loveless::scenario
