#pragma once

#include <set>
#include <string>
#include <vector>

#include "loveless/scenario/scenario.hpp"
#include "loveless/stacks/pool.hpp"

namespace loveless::scenario::detail {

/// What workers of `kind` can do on the aws stack: ECS tasks kill, stop and
/// restart (StopTask); Lambda functions stop, restart and wipe-scratch (all
/// by recycling their environments); both take latency through AWS FIS when
/// a FIS role is bound.
std::set<stacks::Primitive> aws_capabilities(stacks::PoolKind kind, bool fis);

/// The nearest alternative the aws stack offers to `missing`.
std::string aws_alternative(stacks::PoolKind kind, stacks::Primitive missing, bool fis);

/// Every problem with `spec.aws` (each pool bound to a resource of its kind,
/// each workflow bound to a state machine or an execution role given, ARNs
/// well formed and in one region and partition, stop-condition bounds).
std::vector<std::string> check_aws_bindings(const ScenarioSpec& spec);

/// The region a run uses: `explicit_region`, else the SDKs' resolution
/// (AWS_REGION, AWS_DEFAULT_REGION, the profile's region), else the region
/// of the bindings' ARNs. Throws `std::runtime_error` saying what to set.
std::string aws_stack_region(const AwsBindings& bindings, const std::string& explicit_region,
                             const std::string& profile);

/// `loveless-<workflow>-<run id>`, cut to Step Functions' 80 characters.
std::string deployed_state_machine_name(const std::string& workflow, const std::string& run_id);

}  // namespace loveless::scenario::detail
