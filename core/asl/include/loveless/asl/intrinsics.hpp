#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"

namespace loveless::asl {

/// True when `text` looks like an intrinsic function call (`States.Name(...)`),
/// i.e. a value under a `.$` key that is not a path.
bool is_intrinsic_call(std::string_view text);

/// Checks the syntax of an intrinsic call without evaluating it: a known
/// function name among the 18 of ASL, balanced parentheses, arguments that are
/// string literals ('...', with \' \{ \} \\ escapes), numbers, booleans, null,
/// paths or nested calls. Throws `std::invalid_argument` with the reason; the
/// definition validator wraps it into InvalidDefinition.
void validate_intrinsic_call(std::string_view text);

/// The Step Functions variables an intrinsic call reads: the names of its
/// `$name...` path arguments, nested calls included (in no set order, with
/// repeats). Throws `std::invalid_argument` as validate_intrinsic_call does.
std::vector<std::string> intrinsic_variables(std::string_view text);

/// Evaluates an intrinsic function call such as
/// `States.Format('Hello {}', $.name)` against the state's effective input and
/// the context object (`$$`), following
/// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html.
/// The 18 functions: States.Format, StringToJson, JsonToString, Array,
/// ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength,
/// ArrayUnique, Base64Encode, Base64Decode, Hash, JsonMerge, MathRandom,
/// MathAdd, StringSplit, UUID. `random` feeds MathRandom and UUID.
///
/// Throws `StatesError` with `States.IntrinsicFailure` (bad argument count or
/// types, out-of-range values, syntax errors) or `States.Runtime` (a path
/// argument that matches nothing), with an AWS-like cause.
/// `variables` (an object, or null): the Step Functions variables `$name` arguments read.
nlohmann::json evaluate_intrinsic(std::string_view text, const nlohmann::json& input,
                                  const nlohmann::json& context, RandomSource& random,
                                  const nlohmann::json* variables = nullptr);

}  // namespace loveless::asl
