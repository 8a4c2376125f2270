#include "loveless/scenario/aws_bindings.hpp"

namespace loveless::scenario {

std::set<std::string> AwsBindings::resources() const {
  std::set<std::string> arns;
  for (const auto& [pool, binding] : pools) {
    arns.insert(binding.arn);
    if (!binding.activity_arn.empty()) arns.insert(binding.activity_arn);
  }
  for (const auto& [workflow, arn] : state_machines) arns.insert(arn);
  if (!execution_role_arn.empty()) arns.insert(execution_role_arn);
  if (!fis_role_arn.empty()) arns.insert(fis_role_arn);
  return arns;
}

AwsBindingsBuilder& AwsBindingsBuilder::ecs_service(const std::string& pool,
                                                    std::string service_arn,
                                                    std::string activity_arn) {
  bindings_->pools[pool] = {AwsPoolBinding::Kind::kEcsService, std::move(service_arn),
                            std::move(activity_arn)};
  return *this;
}

AwsBindingsBuilder& AwsBindingsBuilder::lambda_function(const std::string& pool,
                                                        std::string function_arn) {
  bindings_->pools[pool] = {AwsPoolBinding::Kind::kLambdaFunction, std::move(function_arn), {}};
  return *this;
}

AwsBindingsBuilder& AwsBindingsBuilder::state_machine(const std::string& workflow,
                                                      std::string arn) {
  bindings_->state_machines[workflow] = std::move(arn);
  return *this;
}

AwsBindingsBuilder& AwsBindingsBuilder::execution_role(std::string role_arn) {
  bindings_->execution_role_arn = std::move(role_arn);
  return *this;
}

AwsBindingsBuilder& AwsBindingsBuilder::fis_role(std::string role_arn) {
  bindings_->fis_role_arn = std::move(role_arn);
  return *this;
}

AwsBindingsBuilder& AwsBindingsBuilder::stop_on_alarm(std::string alarm) {
  bindings_->stop_conditions.alarms.push_back(std::move(alarm));
  return *this;
}

AwsBindingsBuilder& AwsBindingsBuilder::stop_above_failure_rate(double rate, int min_executions) {
  bindings_->stop_conditions.max_failure_rate = rate;
  bindings_->stop_conditions.failure_rate_min_executions = min_executions;
  return *this;
}

}  // namespace loveless::scenario
