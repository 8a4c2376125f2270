#pragma once

#include <nlohmann/json.hpp>

namespace loveless::asl {

/// Evaluates one Choice rule (a validated JSON object from a Choice state's
/// `Choices` array, or a nested rule of And/Or/Not) against the state's
/// effective input and the context object
/// (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html).
///
/// Operators: And, Or, Not; String/Numeric/Timestamp Equals, LessThan,
/// GreaterThan, LessThanEquals, GreaterThanEquals and their `Path` variants;
/// StringMatches (`*` wildcard, `\*` and `\\` escapes); BooleanEquals[Path];
/// IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp.
/// A comparison whose `Variable` is missing or of the wrong type is false, as in
/// AWS, except that a missing `Variable` raises `States.Runtime` unless the
/// operator is IsPresent (AWS: "Invalid path '$.x': The choice state's
/// condition path references an invalid value."). Timestamps are RFC 3339.
/// `variables` (an object, or null for none) holds the Step Functions
/// variables a `$name` path reads.
/// Throws `StatesError` with `States.Runtime`.
bool evaluate_choice_rule(const nlohmann::json& rule, const nlohmann::json& input,
                          const nlohmann::json& context, const nlohmann::json* variables = nullptr);

}  // namespace loveless::asl
