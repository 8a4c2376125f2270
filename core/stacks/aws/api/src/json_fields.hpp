#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace loveless::aws_api::detail {

/// `object[name]` when it is a string, else "" (AWS omits empty members).
inline std::string string_field(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// `object[name]` when it is an integer, else 0.
inline int int_field(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

}  // namespace loveless::aws_api::detail
