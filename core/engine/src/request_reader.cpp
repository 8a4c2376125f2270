#include "request_reader.hpp"

#include <string>

#include "loveless/engine/service_error.hpp"

#include "limits.hpp"
#include "request_shapes.hpp"

namespace loveless::engine {
namespace {

[[noreturn]] void throw_missing(std::string_view member) {
  throw ServiceError("ValidationException",
                     "1 validation error detected: Value null at '" + std::string(member) +
                         "' failed to satisfy constraint: Member must not be null");
}

// check_request_types answers these first for modelled members; this keeps
// the same answer for any member read without a model entry.
[[noreturn]] void throw_type(ShapeKind expected, const nlohmann::json& value) {
  throw ServiceError("ValidationException", type_mismatch_message(expected, value));
}

const nlohmann::json* find(const nlohmann::json& request, std::string_view member) {
  const auto it = request.find(std::string(member));
  if (it == request.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

void check_length(std::string_view member, const std::string& value, std::size_t min,
                  std::size_t max) {
  const auto length = character_count(value);
  if (length < min) {
    throw_constraint(member, value,
                     "Member must have length greater than or equal to " + std::to_string(min));
  }
  if (length > max) {
    throw_constraint(member, value,
                     "Member must have length less than or equal to " + std::to_string(max));
  }
}

void throw_constraint(std::string_view member, std::string_view value,
                      std::string_view constraint) {
  throw ServiceError("ValidationException",
                     // The value in full, as AWS writes it (a 1,025-character
                     // nextToken, an 81-character alias name: the recordings).
                     "1 validation error detected: Value '" + std::string(value) + "' at '" +
                         std::string(member) +
                         "' failed to satisfy constraint: " + std::string(constraint));
}

std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++count;
  }
  return count;
}

RequestReader::RequestReader(const nlohmann::json& request) : request_(request) {
  if (!request_.is_object()) {
    throw ServiceError("SerializationException", "The request body must be a JSON object, got " +
                                                     std::string(request_.type_name()));
  }
}

std::string RequestReader::required_string(std::string_view member) const {
  const auto* value = find(request_, member);
  if (value == nullptr) throw_missing(member);
  if (!value->is_string()) throw_type(ShapeKind::kString, *value);
  return value->get<std::string>();
}

std::optional<std::string> RequestReader::optional_string(std::string_view member) const {
  const auto* value = find(request_, member);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) throw_type(ShapeKind::kString, *value);
  return value->get<std::string>();
}

std::string RequestReader::required_string(std::string_view member, std::size_t min,
                                           std::size_t max) const {
  auto value = required_string(member);
  check_length(member, value, min, max);
  return value;
}

std::optional<std::string> RequestReader::optional_string(std::string_view member, std::size_t min,
                                                          std::size_t max) const {
  auto value = optional_string(member);
  if (value) check_length(member, *value, min, max);
  return value;
}

std::optional<std::int64_t> RequestReader::optional_int(std::string_view member) const {
  const auto* value = find(request_, member);
  if (value == nullptr) return std::nullopt;
  if (!type_mismatch_message(ShapeKind::kInteger, *value).empty()) {
    throw_type(ShapeKind::kInteger, *value);
  }
  // AWS truncates a number with a fraction where an Integer is modelled.
  if (value->is_number_float()) return static_cast<std::int64_t>(value->get<double>());
  return value->get<std::int64_t>();
}

bool RequestReader::optional_bool(std::string_view member, bool fallback) const {
  const auto* value = find(request_, member);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) throw_type(ShapeKind::kBoolean, *value);
  return value->get<bool>();
}

const nlohmann::json* RequestReader::member(std::string_view name) const {
  return find(request_, name);
}

const nlohmann::json& RequestReader::required_member(std::string_view name) const {
  const auto* value = find(request_, name);
  if (value == nullptr) throw_missing(name);
  return *value;
}

std::optional<std::string> RequestReader::next_token(std::size_t max_length) const {
  return optional_string("nextToken", 1, max_length);
}

std::int64_t RequestReader::page_size() const {
  const auto value = optional_int("maxResults");
  if (!value || *value == 0) return limits::kDefaultPageSize;
  if (*value < 0) {
    throw_constraint("maxResults", std::to_string(*value),
                     "Member must have value greater than or equal to 0");
  }
  if (*value > limits::kMaxPageSize) {
    throw_constraint("maxResults", std::to_string(*value),
                     "Member must have value less than or equal to 1000");
  }
  return *value;
}

void RequestReader::check_trace_header() const {
  const auto header = optional_string("traceHeader");
  if (!header) return;
  check_length("traceHeader", *header, 0, 256);
  for (const char c : *header) {
    if (static_cast<unsigned char>(c) > 0x7F) {
      throw_constraint("traceHeader", *header,
                       "Member must satisfy regular expression pattern: \\p{ASCII}*");
    }
  }
}

void RequestReader::check_encryption_configuration() const {
  const auto* configuration = member("encryptionConfiguration");
  if (configuration == nullptr || !configuration->is_object()) return;
  const auto type = configuration->find("type");
  if (type == configuration->end() || !type->is_string()) return;
  const auto& text = type->get_ref<const std::string&>();
  if (text == "AWS_OWNED_KEY" || text == "CUSTOMER_MANAGED_KMS_KEY") return;
  throw_constraint("encryptionConfiguration.type", text,
                   "Member must satisfy enum value set: [CUSTOMER_MANAGED_KMS_KEY, AWS_OWNED_KEY]");
}

}  // namespace loveless::engine
