#include "tag_request.hpp"

#include <cctype>
#include <string_view>

#include "loveless/engine/service_error.hpp"

#include "request_reader.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxKeyLength = 128;
constexpr std::size_t kMaxValueLength = 256;
constexpr std::string_view kPattern = R"(^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$)";

bool allowed_characters(std::string_view text) {
  static constexpr std::string_view kSymbols = " _.:/=+-@";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80U) continue;
    if (std::isalnum(byte) == 0 && kSymbols.find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string check_text(const nlohmann::json* value, const std::string& member, std::size_t min,
                       std::size_t max) {
  if (value == nullptr || value->is_null()) {
    throw ServiceError("ValidationException", "1 validation error detected: Value null at '" +
                                                  member +
                                                  "' failed to satisfy constraint: Member must "
                                                  "not be null");
  }
  auto text = value->get<std::string>();
  check_length(member, text, min, max);
  if (!allowed_characters(text)) {
    throw_constraint(member, text,
                     "Member must satisfy regular expression pattern: " + std::string(kPattern));
  }
  return text;
}

const nlohmann::json* field(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

std::vector<Tag> read_tags(const RequestReader& reader) {
  std::vector<Tag> tags;
  const auto* list = reader.member("tags");
  if (list == nullptr) return tags;
  // Member types were checked against the service model already.
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& tag = (*list)[i];
    const auto at = "tags." + std::to_string(i + 1) + ".member.";
    const auto empty = nlohmann::json::object();
    const auto& object = tag.is_object() ? tag : empty;
    auto key = check_text(field(object, "key"), at + "key", 1, kMaxKeyLength);
    auto value = check_text(field(object, "value"), at + "value", 0, kMaxValueLength);
    tags.emplace_back(std::move(key), std::move(value));
  }
  return tags;
}

std::vector<std::string> read_tag_keys(const RequestReader& reader) {
  const auto& list = reader.required_member("tagKeys");
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < list.size(); ++i) {
    keys.push_back(
        check_text(&list[i], "tagKeys." + std::to_string(i + 1) + ".member", 1, kMaxKeyLength));
  }
  return keys;
}

}  // namespace loveless::engine
