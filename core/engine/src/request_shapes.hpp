#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// The JSON types the Step Functions service model gives request members.
enum class ShapeKind { kString, kInteger, kBoolean, kList, kStructure };

/// Checks the JSON type of every member of `request` that the Step Functions
/// service model (botocore's `stepfunctions/2016-11-23/service-2.json`) gives
/// `operation`'s input, nested lists and structures included. Members the
/// model does not name are ignored and a null member counts as absent, as
/// AWS's deserializer does; an operation without a shape here is not checked.
///
/// Throws `SerializationException` with the message AWS's (Coral's) JSON
/// deserializer gives for the first mismatch, e.g. `{"name": 5}` answers
/// "NUMBER_VALUE can not be converted to a String" (type_mismatch_message).
void check_request_types(std::string_view operation, const nlohmann::json& request);

/// What AWS's awsJson deserializer answers when `value` arrives where the
/// model says `expected`: "STRING_VALUE can not be converted to an Integer",
/// "TRUE_VALUE can not be converted to a String", "Start of list found where
/// not expected", "Start of structure or map found where not expected.",
/// "Expected list or null"; empty when `value` fits. A number with a fraction
/// fits an Integer (AWS truncates it). Messages as recorded from AWS's
/// awsJson1_0/1_1 services (Scheduler, Athena, SQS) answering such requests.
std::string type_mismatch_message(ShapeKind expected, const nlohmann::json& value);

}  // namespace loveless::engine
