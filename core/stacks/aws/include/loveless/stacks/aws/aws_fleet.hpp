#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "loveless/aws_api/call_guard.hpp"
#include "loveless/aws_api/ecs_api.hpp"
#include "loveless/aws_api/lambda_api.hpp"
#include "loveless/stacks/aws/fis_experiments.hpp"

namespace loveless::stacks::aws {

/// What the aws stack's pools share: the service clients, the guard every
/// mutating call goes through, and the timings of the AWS control plane.
struct AwsFleetContext {
  std::shared_ptr<aws_api::EcsApi> ecs;
  std::shared_ptr<aws_api::LambdaApi> lambda;
  /// Null when the scenario binds no FIS role: no latency fault then.
  std::shared_ptr<FisExperiments> fis;
  std::shared_ptr<aws_api::AwsCallGuard> guard;
  /// Written into every StopTask reason and FIS tag, so a run's changes can be found.
  std::string run_id;
  /// How often an ECS pool lists its service's tasks (ListTasks + DescribeTasks
  /// for new ones) to see replacements.
  std::chrono::milliseconds ecs_poll_interval{5'000};
  /// How long a restart waits for the service to start a replacement task
  /// (ECS usually starts one within a minute; image pulls can take longer).
  std::chrono::milliseconds replacement_timeout{std::chrono::minutes(5)};
};

}  // namespace loveless::stacks::aws
