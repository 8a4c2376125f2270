#pragma once

// Reading members of the JSON that AWS APIs answer (and the history events
// Step Functions records), where a member AWS leaves out means its zero value.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::aws {

/// `object[name]` when `object` is an object and the member a string, else ""
/// (AWS omits empty members).
inline std::string string_member(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return {};
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// `object[name]` when `object` is an object and the member an integer, else 0.
inline std::int64_t integer_member(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return 0;
  const auto it = object.find(name);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace loveless::aws
