#include "run_varying_values.hpp"

#include <cctype>
#include <string_view>

#include "loveless/timestamps/timestamps.hpp"

namespace loveless::checks::detail {
namespace {

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal digits in either case.
bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
      return false;
    }
  }
  return true;
}

bool is_timestamp(std::string_view text) { return timestamps::parse_rfc3339(text).has_value(); }

/// Both strings, and the same kind of run-varying value.
bool run_varying_pair(const nlohmann::json& a, const nlohmann::json& b) {
  if (!a.is_string() || !b.is_string()) return false;
  const auto& left = a.get_ref<const std::string&>();
  const auto& right = b.get_ref<const std::string&>();
  return (is_timestamp(left) && is_timestamp(right)) || (is_uuid(left) && is_uuid(right));
}

}  // namespace

std::optional<std::vector<std::string>> run_varying_differences(const nlohmann::json& a,
                                                                const nlohmann::json& b) {
  std::vector<std::string> pointers;
  for (const auto& operation : nlohmann::json::diff(a, b)) {
    if (operation.value("op", "") != "replace") return std::nullopt;
    const auto path = operation.value("path", "");
    const nlohmann::json::json_pointer pointer(path);
    if (!a.contains(pointer) || !run_varying_pair(a.at(pointer), operation.at("value"))) {
      return std::nullopt;
    }
    pointers.push_back(path.empty() ? "(root)" : path);
  }
  if (pointers.empty()) return std::nullopt;
  return pointers;
}

}  // namespace loveless::checks::detail
