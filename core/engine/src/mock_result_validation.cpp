#include "mock_result_validation.hpp"

#include <string>

#include "loveless/asl/integration_resource.hpp"
#include "loveless/engine/service_error.hpp"

namespace loveless::engine {
namespace {

using nlohmann::json;

const json& shapes_document() {
  static const json document = json::parse(mock_result_shapes_json());
  return document;
}

[[noreturn]] void reject(const std::string& why) {
  throw ServiceError("ValidationException", "Mock result schema validation error: " + why);
}

[[noreturn]] void reject_field(const std::string& field, const std::string& problem) {
  reject("Field '" + field + "' " + problem);
}

class ShapeChecker {
 public:
  ShapeChecker(const json& shapes, FieldValidationMode mode) : shapes_(shapes), mode_(mode) {}

  void check(const json& value, const std::string& shape_key, const std::string& field) const {
    const json& shape = shapes_.at(shape_key);
    const auto& type = shape.at("type").get_ref<const std::string&>();
    if (type == "structure") return check_structure(value, shape, field);
    if (type == "list") {
      if (!value.is_array()) reject_field(field, "must be an array");
      for (const auto& item : value) check(item, shape.at("member"), field);
      return;
    }
    if (type == "map") {
      if (!value.is_object()) reject_field(field, "must be an object");
      for (const auto& [key, item] : value.items()) check(item, shape.at("value"), field);
      return;
    }
    if (type == "string" || type == "blob" || type == "timestamp") {
      return check_text(value, shape, field);
    }
    if (type == "boolean") {
      if (!value.is_boolean()) reject_field(field, "must be a boolean");
      return;
    }
    check_number(value, shape, field);  // integer, long, float, double
  }

 private:
  void check_structure(const json& value, const json& shape, const std::string& field) const {
    if (!value.is_object()) reject_field(field, "must be an object");
    if (mode_ == FieldValidationMode::kStrict && shape.contains("required")) {
      for (const auto& required : shape.at("required")) {
        if (!value.contains(required.get<std::string>())) {
          reject("Required field '" + required.get<std::string>() + "' is missing");
        }
      }
    }
    const auto& members = shape.value("members", json::object());
    for (const auto& [name, member] : value.items()) {
      const auto it = members.find(name);
      if (it != members.end()) check(member, it->get<std::string>(), name);
    }
  }

  static void check_text(const json& value, const json& shape, const std::string& field) {
    if (!value.is_string()) reject_field(field, "must be a string");
    const auto& text = value.get_ref<const std::string&>();
    if (shape.contains("enum")) {
      const auto& values = shape.at("enum");
      if (std::find(values.begin(), values.end(), text) == values.end()) {
        reject_field(field, "is not an expected value");
      }
    }
    if (shape.contains("min") && text.size() < shape.at("min").get<std::size_t>()) {
      reject_field(field, "is smaller than the minimum length");
    }
    if (shape.contains("max") && text.size() > shape.at("max").get<std::size_t>()) {
      reject_field(field, "exceeds the maximum length");
    }
  }

  static void check_number(const json& value, const json& shape, const std::string& field) {
    if (!value.is_number()) reject_field(field, "must be a number");
    const double number = value.get<double>();
    if (shape.contains("min") && number < shape.at("min").get<double>()) {
      reject_field(field, "is less than the minimum value");
    }
    if (shape.contains("max") && number > shape.at("max").get<double>()) {
      reject_field(field, "exceeds the maximum value");
    }
  }

  const json& shapes_;
  FieldValidationMode mode_;
};

}  // namespace

void validate_mock_result(std::string_view resource, const json& result, FieldValidationMode mode) {
  if (mode == FieldValidationMode::kNone) return;
  const auto integration = asl::parse_integration_resource(resource);
  if (!integration) return;
  const auto& document = shapes_document();
  const auto& resources = document.at("resources");
  const auto it = resources.find(std::string(integration->rest));
  if (it == resources.end()) return;  // callback, .sync, or an action not listed
  if (!result.is_object()) reject("the mocked result must be a JSON object");
  ShapeChecker(document.at("shapes"), mode).check(result, it->get<std::string>(), "");
}

}  // namespace loveless::engine
