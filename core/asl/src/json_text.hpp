#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::asl {

/// Compact JSON text of `data` for history payloads and error causes.
/// Invalid UTF-8 inside strings (which byte-level intrinsics such as
/// States.StringSplit can produce) becomes U+FFFD instead of throwing, so
/// recording an event or building a message never fails.
inline std::string to_json_text(const nlohmann::json& data) {
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// The JSON type of `value` as AWS's causes name it: `null`, `boolean`,
/// `number`, `string`, `array`, `object`.
inline std::string json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    default:
      return "unknown";
  }
}

/// A JSONata state's field text is an expression when the whole string is
/// `{% ... %}`; anything else is a literal, as on AWS.
inline bool is_jsonata_expression_text(std::string_view text) {
  return text.size() >= 4 && text.starts_with("{%") && text.ends_with("%}");
}

namespace detail {

/// Deepest nesting a definition may have: of its JSON's arrays and objects,
/// and of the expressions inside its strings (intrinsic calls, JSONPath
/// filter parentheses). The validator, those parsers and their evaluators
/// recurse once per level, so an unbounded depth would let a hostile
/// document exhaust the stack.
inline constexpr std::size_t kMaxDefinitionDepth = 256;

}  // namespace detail

}  // namespace loveless::asl
