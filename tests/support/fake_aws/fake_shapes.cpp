#include "fake_aws/fake_shapes.hpp"

#include "fake_aws/fake_state.hpp"

namespace loveless::testing {

void ShapeChecker::fail(const std::string& message) const {
  throw FakeError(400, error_type, message);
}

void ShapeChecker::object(const nlohmann::json& value, const std::string& field) const {
  if (!value.is_object()) fail(field + " must be a JSON object");
}

std::string ShapeChecker::required_string(const nlohmann::json& object,
                                          const std::string& field) const {
  const auto it = object.find(field);
  if (it == object.end()) fail("Missing required parameter " + field);
  if (!it->is_string()) fail(field + " must be a string");
  if (it->get<std::string>().empty()) fail(field + " must not be empty");
  return it->get<std::string>();
}

std::string ShapeChecker::optional_string(const nlohmann::json& object,
                                          const std::string& field) const {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) fail(field + " must be a string");
  return it->get<std::string>();
}

nlohmann::json ShapeChecker::string_array(const nlohmann::json& object,
                                          const std::string& field) const {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return nlohmann::json::array();
  if (!it->is_array()) fail(field + " must be a list of strings");
  for (const auto& item : *it) {
    if (!item.is_string()) fail(field + " must be a list of strings");
  }
  return *it;
}

void ShapeChecker::string_map(const nlohmann::json& object, const std::string& field) const {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return;
  if (!it->is_object()) fail(field + " must be a map of strings to strings");
  for (const auto& [key, value] : it->items()) {
    if (value.is_string()) continue;
    std::string message = field;
    message.append(".").append(key).append(" must be a string");
    fail(message);
  }
}

int ShapeChecker::optional_int(const nlohmann::json& object, const std::string& field, int min,
                               int max, int fallback) const {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) fail(field + " must be an integer");
  const auto value = it->get<long long>();
  if (value < min || value > max) {
    fail(field + " must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return static_cast<int>(value);
}

}  // namespace loveless::testing
