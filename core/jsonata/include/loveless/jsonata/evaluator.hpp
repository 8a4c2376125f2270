#pragma once

// JSONata 2.0.6, the version AWS Step Functions implements
// (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html),
// evaluated by the reference implementation (npm `jsonata`, its modern build)
// in embedded SpiderMonkey 102 JavaScript contexts, plus the functions Step Functions adds
// ($partition, $range, $hash, $random, $uuid, $parse) and without the one it
// removes ($eval).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace loveless::jsonata {

/// A JSONata expression failed to compile or to evaluate, or its evaluation
/// exceeded the evaluator's time or memory bound.
struct EvaluationError : std::runtime_error {
  EvaluationError(std::string error_code, const std::string& message, std::int64_t error_position)
      : std::runtime_error(message), code(std::move(error_code)), position(error_position) {}
  /// jsonata's error code (`S0201` syntax, `T2001` type, `D3030` ...), or
  /// `L0001` (time bound) / `L0002` (memory bound) for the evaluator's own limits,
  /// `L0003` for a failure of the JavaScript engine outside jsonata (a bug),
  /// `L0004` for a result that is a function (no JSON form).
  std::string code;
  /// Character offset in the expression jsonata reports, or -1.
  std::int64_t position;
};

/// The evaluator's bounds, so that no expression can take the engine down
/// (docs/jsonata.md, "Bounds").
struct Limits {
  /// Wall time of one evaluation (L0001 beyond it).
  std::chrono::milliseconds time{10'000};
  /// Bytes one JavaScript context may hold: the library, its compiled
  /// expressions and one evaluation's values (L0002 beyond it).
  std::size_t memory_bytes{std::size_t{256} << 20U};
  /// Nesting of jsonata's evaluation steps, which recursion deepens (L0001 beyond it).
  int depth{500};
};

/// Replaces the bounds for evaluations that start afterwards (contexts made
/// under the old ones are remade). Thread-safe. Throws std::invalid_argument
/// for a time or memory of 0 or a depth below 1.
void set_limits(const Limits& limits);

/// The bounds in force.
Limits limits();

/// Evaluates `expression` (the text between `{%` and `%}`, trimmed or not)
/// against `input` (jsonata's `$`), with `bindings` (an object: variable name
/// without the `$` -> value; e.g. {"states": {...}, "myVar": 3}).
/// Returns std::nullopt when the result is undefined (nothing matched).
/// Thread-safe: any number of threads may evaluate at once (at most
/// max(4, 2 x hardware threads) at the same time, the others wait).
/// Throws EvaluationError; std::invalid_argument when `bindings` is neither
/// an object nor null.
std::optional<nlohmann::json> evaluate(std::string_view expression, const nlohmann::json& input,
                                       const nlohmann::json& bindings);

/// Compiles `expression` without evaluating it (definition validation).
/// Returns the error, or std::nullopt when it compiles.
std::optional<EvaluationError> check_syntax(std::string_view expression);

}  // namespace loveless::jsonata
