#pragma once

// Small pure helpers of the interpreter: time formats (over loveless::timestamps), task tokens,
// Task resource names. Kept apart from execution.cpp so that they can be tested and reused without
// an Execution.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/timestamps/timestamps.hpp"

namespace loveless::asl::detail {

/// `2024-01-02T03:04:05.678Z`: the form of `$$.Execution.StartTime` and
/// `$$.State.EnteredTime` (RFC 3339, UTC, milliseconds).
inline std::string format_context_time(TimePoint t) {
  return timestamps::format_rfc3339(t, timestamps::Precision::kMilliseconds);
}

/// Parses an RFC 3339 timestamp with the ASL rules (the Wait state's
/// `Timestamp`) into a TimePoint, truncated to microseconds. nullopt when
/// `text` is not one.
inline std::optional<TimePoint> parse_timestamp(std::string_view text) {
  const auto instant = timestamps::parse_rfc3339(text);
  if (!instant) return std::nullopt;
  return instant->as<Duration>();
}

/// An opaque, URL-safe task token (base64url, 128 characters): a hash of the
/// execution ARN and the task id keep tokens of executions that share a seed
/// apart; the rest comes from `random`.
std::string make_task_token(std::string_view execution_arn, std::uint64_t task_id,
                            RandomSource& random);

/// The `resourceType` and `resource` AWS records in Task* events for a
/// service integration: `arn:aws:states:::sqs:sendMessage.waitForTaskToken`
/// gives `sqs` and `sendMessage.waitForTaskToken`.
struct ServiceResource {
  std::string resource_type;
  std::string resource;
};
ServiceResource split_service_resource(std::string_view resource);

/// A whole number in a JSON value, or in a string holding one ("2", "-3"; at
/// most 18 characters), as AWS reads the `*Path` fields that take one
/// (MaxConcurrencyPath, ToleratedFailureCountPath: recorded, "1" is taken);
/// nullopt for anything else.
std::optional<std::int64_t> whole_number(const nlohmann::json& value);

/// The region part of an ARN (`arn:aws:states:<region>:...`), `us-east-1`
/// when the ARN has none.
std::string region_of_arn(std::string_view arn);

}  // namespace loveless::asl::detail
