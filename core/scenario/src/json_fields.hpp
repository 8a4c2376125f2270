#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace loveless::scenario::detail {

/// `object[key]` when `object` is an object and the member a string, else "".
inline std::string text(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// `object[key]` when it is an integer, else 0 (history event ids).
inline std::int64_t integer(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace loveless::scenario::detail
