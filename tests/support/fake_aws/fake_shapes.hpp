#pragma once

#include <string>

#include <nlohmann/json.hpp>

/// Request shape checks of the fake: each throws `FakeError(400, error_type,
/// message)` naming the field, as AWS answers a request its model rejects.
namespace loveless::testing {

/// The validation error names of one service (ECS: InvalidParameterException,
/// Lambda: InvalidParameterValueException, FIS: ValidationException,
/// CloudWatch: InvalidParameterValue).
struct ShapeChecker {
  const char* error_type;

  void object(const nlohmann::json& value, const std::string& field) const;
  /// A required string member, not empty.
  std::string required_string(const nlohmann::json& object, const std::string& field) const;
  /// An optional string member; empty when absent.
  std::string optional_string(const nlohmann::json& object, const std::string& field) const;
  /// An optional array whose items are all strings; returns it (empty when absent).
  nlohmann::json string_array(const nlohmann::json& object, const std::string& field) const;
  /// An optional object whose values are all strings (a map<string, string>).
  void string_map(const nlohmann::json& object, const std::string& field) const;
  /// An optional integer in [min, max]; `fallback` when absent.
  int optional_int(const nlohmann::json& object, const std::string& field, int min, int max,
                   int fallback) const;
  [[noreturn]] void fail(const std::string& message) const;
};

}  // namespace loveless::testing
