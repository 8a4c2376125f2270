#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace loveless::worker {

/// The id of the ECS task this process runs in (the last part of its task
/// ARN), read from the task metadata endpoint version 4: GET
/// `$ECS_CONTAINER_METADATA_URI_V4/task`, member `TaskARN` (Amazon ECS
/// Developer Guide, "Amazon ECS task metadata endpoint version 4"). Nullopt
/// outside ECS (the variable unset) or when the endpoint does not answer
/// within `timeout`; never throws.
///
/// The aws stack names an ECS pool's workers by task id, so an activity
/// worker on ECS polls with this `workerName` (docs/aws.md).
std::optional<std::string> ecs_task_id(std::chrono::milliseconds timeout);

}  // namespace loveless::worker
