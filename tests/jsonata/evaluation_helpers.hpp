#pragma once
// What the JSONata tests ask of one evaluation: its value, or the code or
// whole EvaluationError it ends in.

#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/jsonata/evaluator.hpp"

namespace loveless::testing {

// The value of EXPRESSION over INPUT; fails the test when it has none.
inline nlohmann::json value_of(std::string_view expression, const nlohmann::json& input = nullptr,
                               const nlohmann::json& bindings = nlohmann::json::object()) {
  auto result = jsonata::evaluate(expression, input, bindings);
  REQUIRE(result.has_value());
  return *result;
}

// The error EXPRESSION ends in; fails the test when it ends in none.
inline jsonata::EvaluationError error_of(std::string_view expression,
                                         const nlohmann::json& input = nullptr) {
  try {
    jsonata::evaluate(expression, input, nlohmann::json::object());
  } catch (const jsonata::EvaluationError& error) {
    return error;
  }
  FAIL("no error from " << expression);
  return {"", "", -1};
}

// The code of the error EXPRESSION ends in, "none" when it ends in none.
inline std::string code_of(std::string_view expression) {
  try {
    jsonata::evaluate(expression, nullptr, nlohmann::json::object());
  } catch (const jsonata::EvaluationError& error) {
    return error.code;
  }
  return "none";
}

}  // namespace loveless::testing
