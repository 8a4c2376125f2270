#include "loveless/asl/json_document.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace loveless::asl {
namespace {

/// The offset of the first bracket that opens level `max_depth + 1`, or
/// nullopt. Brackets inside strings do not count; the scan needs no valid
/// document (the parser reports syntax errors afterwards).
std::optional<std::size_t> first_too_deep(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return i;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

/// nlohmann's message without its `[json.exception.parse_error.101] parse
/// error at line 1, column 7: ` prefix: the reason alone.
std::string reason_of(const nlohmann::json::exception& error) {
  std::string message = error.what();
  // "[json.exception.parse_error.101] ": the library's own id.
  if (const auto end = message.find("] ");
      message.starts_with("[json.exception.") && end != std::string::npos) {
    message.erase(0, end + 2);
  }
  // "parse error at line 1, column 7: ": we give the position ourselves.
  if (message.starts_with("parse error")) {
    if (const auto colon = message.find(": "); colon != std::string::npos) {
      message.erase(0, colon + 2);
    }
  }
  return message;
}

/// `line 1, column 7: <reason>`, or `<reason> (line 1, column 1001)` for a
/// document nested too deep, or the reason alone without a position.
std::string message_of(const std::string& reason, std::size_t line, std::size_t column,
                       bool too_deep) {
  if (line == 0) return reason;
  const auto position = "line " + std::to_string(line) + ", column " + std::to_string(column);
  return too_deep ? reason + " (" + position + ")" : position + ": " + reason;
}

}  // namespace

JsonDocumentError::JsonDocumentError(std::string reason, std::size_t line, std::size_t column,
                                     bool too_deep)
    : std::runtime_error(message_of(reason, line, column, too_deep)),
      reason_(std::move(reason)),
      line_(line),
      column_(column),
      too_deep_(too_deep) {}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t index = 0; index < offset; ++index) {
    const auto c = static_cast<unsigned char>(text[index]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0U) != 0x80U) {
      ++column;
    }
  }
  return {line, column};
}

void require_json_depth(std::string_view text, std::size_t max_depth) {
  if (const auto at = first_too_deep(text, max_depth)) {
    const auto [line, column] = line_and_column(text, *at);
    throw JsonDocumentError(
        "nests arrays and objects deeper than " + std::to_string(max_depth) + " levels", line,
        column, true);
  }
}

nlohmann::json parse_json_document(std::string_view text, std::size_t max_depth) {
  require_json_depth(text, max_depth);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // `byte` is the 1-based count of bytes read when the error was found.
    const std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    const auto [line, column] = line_and_column(text, offset);
    throw JsonDocumentError(reason_of(error), line, column, false);
  } catch (const nlohmann::json::exception& error) {
    // out_of_range 406, a number beyond a double (1E400), found by
    // fuzz/request_fuzzer: nlohmann gives no position for it.
    throw JsonDocumentError(reason_of(error), 0, 0, false);
  }
}

std::size_t json_depth(const nlohmann::json& value) {
  std::size_t deepest = 0;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> pending{{&value, 0}};
  while (!pending.empty()) {
    const auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const auto& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace loveless::asl
