#pragma once

// TestState's check of a mocked Task result against the service's API
// (`mock.fieldValidationMode`, API_MockInput): the output shape of the
// integration, from the AWS service models (core/engine/data).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// STRICT (AWS's default): types, enums, bounds and required members;
/// PRESENT: the same for the members present only; NONE: nothing.
enum class FieldValidationMode { kStrict, kPresent, kNone };

/// Checks `result` against the output shape of the Task `resource`'s
/// request-response integration (`lambda:invoke`, `events:putEvents`,
/// `states:startExecution`, DynamoDB's, `sqs:sendMessage`, `sns:publish` and
/// the `aws-sdk:` actions core/engine/data lists), as AWS's TestState does
/// (recorded in LocalStack's test_field_validation_mode snapshots): members
/// the shape does not have are ignored, names are case-sensitive. Throws
/// ServiceError ValidationException "Mock result schema validation error:
/// Field 'X' must be a string" (an array, a number, a boolean, an object),
/// "... is not an expected value", "... is smaller than the minimum length",
/// "... is less than the minimum value", "... exceeds the maximum value",
/// "Required field 'X' is missing". Other resources (callback and `.sync`
/// patterns, actions not listed) are not checked.
void validate_mock_result(std::string_view resource, const nlohmann::json& result,
                          FieldValidationMode mode);

/// The shapes document (generated into the build from core/engine/data).
std::string_view mock_result_shapes_json();

}  // namespace loveless::engine
