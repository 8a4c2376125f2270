#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace loveless::worker {

/// The variable's value, or nullopt when it is unset or empty (an empty
/// value in an ECS task definition or a compose file means "not set").
[[nodiscard]] std::optional<std::string> environment_value(const char* name);

/// A non-negative integer variable, or `fallback` when unset. Throws
/// `std::invalid_argument` naming the variable when it is not such a number.
[[nodiscard]] long long environment_count(const char* name, long long fallback);

/// A duration variable in milliseconds, or `fallback` when unset. Throws like
/// `environment_count`.
[[nodiscard]] std::chrono::milliseconds environment_milliseconds(
    const char* name, std::chrono::milliseconds fallback);

/// On ECS, the task id (`ecs_task_id`); elsewhere `<host name>-<pid>`, cut
/// to the 80 characters GetActivityTask accepts as `workerName`.
[[nodiscard]] std::string default_worker_name();

/// `TMPDIR` if set, else /tmp (what the fleets hand each worker as scratch).
[[nodiscard]] std::filesystem::path scratch_dir_from_environment();

}  // namespace loveless::worker
