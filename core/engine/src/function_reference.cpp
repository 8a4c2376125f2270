#include "function_reference.hpp"

#include <cctype>
#include <vector>

#include "arn.hpp"

namespace loveless::engine {
namespace {

bool is_valid_qualifier(std::string_view qualifier) {
  if (qualifier == "$LATEST") return true;
  if (qualifier.empty() || qualifier.size() > 128) return false;
  for (const char c : qualifier) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') return false;
  }
  return true;
}

std::optional<FunctionReference> make(std::string_view name, std::string_view qualifier,
                                      std::string_view region, std::string_view account_id) {
  if (!is_valid_function_name(name)) return std::nullopt;
  if (!qualifier.empty() && !is_valid_qualifier(qualifier)) return std::nullopt;
  return FunctionReference{std::string(name), std::string(qualifier), std::string(region),
                           std::string(account_id)};
}

}  // namespace

bool is_valid_function_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') return false;
  }
  return true;
}

std::optional<FunctionReference> parse_function_reference(std::string_view text) {
  const auto parts = split_fields(text, ':');
  // name[:qualifier]
  if (parts.size() <= 2 && parts[0] != "arn") {
    return make(parts[0], parts.size() == 2 ? parts[1] : "", "", "");
  }
  // <account>:function:name[:qualifier]
  if ((parts.size() == 3 || parts.size() == 4) && parts[1] == "function") {
    return make(parts[2], parts.size() == 4 ? parts[3] : "", "", parts[0]);
  }
  // arn:<partition>:lambda:<region>:<account>:function:name[:qualifier]
  if ((parts.size() == 7 || parts.size() == 8) && parts[0] == "arn" && parts[2] == "lambda" &&
      parts[5] == "function" && !parts[3].empty() && !parts[4].empty()) {
    return make(parts[6], parts.size() == 8 ? parts[7] : "", parts[3], parts[4]);
  }
  return std::nullopt;
}

std::string function_arn(std::string_view region, std::string_view account_id,
                         std::string_view name) {
  std::string arn = "arn:aws:lambda:";
  arn.append(region).append(":").append(account_id).append(":function:").append(name);
  return arn;
}

}  // namespace loveless::engine
