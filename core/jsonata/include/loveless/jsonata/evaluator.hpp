#pragma once

// JSONata 2.0.6, the version AWS Step Functions implements
// (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html),
// evaluated by the reference implementation (npm `jsonata`, its ES5 build) in
// an embedded Duktape JavaScript engine, plus the functions Step Functions adds
// ($partition, $range, $hash, $random, $uuid, $parse) and without the one it
// removes ($eval).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::jsonata {

/// A JSONata expression failed to compile or to evaluate, or its evaluation
/// exceeded the evaluator's time or memory bound.
struct EvaluationError : std::runtime_error {
  EvaluationError(std::string code, std::string message, std::int64_t position)
      : std::runtime_error(message), code(std::move(code)), position(position) {}
  /// jsonata's error code (`S0201` syntax, `T2001` type, `D3030` ...), or
  /// `L0001` (time bound) / `L0002` (memory bound) for the evaluator's own limits.
  std::string code;
  /// Character offset in the expression jsonata reports, or -1.
  std::int64_t position;
};

/// Evaluates `expression` (the text between `{%` and `%}`, trimmed or not)
/// against `input` (jsonata's `$`), with `bindings` (an object: variable name
/// without the `$` -> value; e.g. {"states": {...}, "myVar": 3}).
/// Returns std::nullopt when the result is undefined (nothing matched).
/// Thread-safe: any number of threads may evaluate at once.
/// Throws EvaluationError.
std::optional<nlohmann::json> evaluate(std::string_view expression, const nlohmann::json& input,
                                       const nlohmann::json& bindings);

/// Compiles `expression` without evaluating it (definition validation).
/// Returns the error, or std::nullopt when it compiles.
std::optional<EvaluationError> check_syntax(std::string_view expression);

}  // namespace loveless::jsonata
