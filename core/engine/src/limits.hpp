#pragma once

#include <cstddef>
#include <cstdint>

// Service quotas and request constraints of AWS Step Functions, as the API
// reference and the botocore service model give them.
namespace loveless::engine::limits {

/// Names of state machines, executions and activities: 1..80 characters.
inline constexpr std::size_t kMaxNameLength = 80;
/// Task tokens: 1..2048 characters.
inline constexpr std::size_t kMaxTaskTokenLength = 2048;
/// Execution input and task output: 262,144 bytes of UTF-8.
inline constexpr std::size_t kMaxPayloadBytes = 262'144;
/// SendTaskFailure / StopExecution `error` and `cause`.
inline constexpr std::size_t kMaxErrorLength = 256;
inline constexpr std::size_t kMaxCauseLength = 32'768;
/// ARNs in requests: 1..256 (executions 1..2048 since they nest a name).
inline constexpr std::size_t kMaxArnLength = 2048;
/// GetActivityTask `workerName`: 1..80.
inline constexpr std::size_t kMaxWorkerNameLength = 80;
/// State machine definitions: 1..1,048,576 characters.
inline constexpr std::size_t kMaxDefinitionLength = 1'048'576;
/// Paging: `maxResults` 0..1000 where 0 (or absent) means the default of 100;
/// `nextToken` 1..1024 characters.
inline constexpr std::int64_t kMaxPageSize = 1000;
inline constexpr std::int64_t kDefaultPageSize = 100;
inline constexpr std::size_t kMaxNextTokenLength = 1024;

}  // namespace loveless::engine::limits
