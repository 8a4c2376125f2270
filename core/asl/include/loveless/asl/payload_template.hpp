#pragma once

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"

namespace loveless::asl {

/// Evaluates a payload template (Parameters, ResultSelector, ItemSelector):
/// a JSON value whose object keys ending in `.$` take a path or an intrinsic
/// call, evaluated against `input` (or `context` for `$$` paths); the `.$` is
/// dropped from the key in the result. Other values are copied, recursing into
/// objects and arrays
/// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
///
/// Throws `StatesError`: `States.ParameterPathFailure` when a path matches
/// nothing (AWS's cause: "The JSONPath '$.x' specified for the field 'x.$'
/// could not be found in the input '...'"), `States.IntrinsicFailure` from intrinsics.
/// `variables` (an object, or null for none): the Step Functions variables
/// that `$name` paths read.
nlohmann::json evaluate_payload_template(const nlohmann::json& payload_template,
                                         const nlohmann::json& input, const nlohmann::json& context,
                                         RandomSource& random,
                                         const nlohmann::json* variables = nullptr);

}  // namespace loveless::asl
