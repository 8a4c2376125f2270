#pragma once

#include <optional>

#include <nlohmann/json.hpp>

namespace loveless::engine {

class RequestReader;

/// `loggingConfiguration` of CreateStateMachine / UpdateStateMachine, checked
/// as AWS checks it and in the form DescribeStateMachine returns:
/// `{"level": "ALL"|"ERROR"|"FATAL"|"OFF", "includeExecutionData": bool,
/// "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "..."}}]}`,
/// level OFF and includeExecutionData false when absent, `destinations` only
/// when given (AWS echoes an empty list). Nullopt when the request has none.
///
/// Errors (test_sfn_api_logs recordings): a level other than OFF without
/// exactly one destination, or more than one destination, answers
/// `InvalidLoggingConfiguration` "Invalid Logging Configuration: Must specify
/// exactly one Log Destination."; a destination that is not a CloudWatch Logs
/// log group ARN ending in `:*` answers "... Log Destination not found." (AWS
/// also answers that for a log group that does not exist; the engine cannot
/// tell). An unknown level answers `ValidationException`.
std::optional<nlohmann::json> read_logging_configuration(const RequestReader& reader);

/// What DescribeStateMachine returns for a state machine created without one.
nlohmann::json default_logging_configuration();

/// `tracingConfiguration.enabled`, nullopt when the request has none
/// (false when the object has no `enabled`).
std::optional<bool> read_tracing_configuration(const RequestReader& reader);

}  // namespace loveless::engine
