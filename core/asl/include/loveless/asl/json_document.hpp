#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace loveless::asl {

/// The deepest nesting of arrays and objects accepted in any JSON document
/// that reaches Loveless from outside (API bodies, execution inputs, task
/// results, Runtime API posts, definitions, States.StringToJson) and in any
/// state's output. AWS documents no depth limit; real payloads nest a few
/// dozen levels, and code that walks JSON recursively (copying, writing text,
/// JSONPath) stays far from the stack's end at this depth.
inline constexpr std::size_t kMaxJsonDepth = 1000;

/// Why a JSON document was refused. `what()` says it without any library's
/// internal wording, with the line and column (both from 1; 0 when the parser
/// gives no position) where the text went wrong, e.g.
/// `line 1, column 7: syntax error while parsing value - invalid literal` or
/// `nests arrays and objects deeper than 1000 levels (line 1, column 1001)`.
class JsonDocumentError : public std::runtime_error {
 public:
  JsonDocumentError(std::string reason, std::size_t line, std::size_t column, bool too_deep);
  /// The reason alone, without the position: for callers that place it themselves.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  [[nodiscard]] std::size_t column() const noexcept { return column_; }
  /// The document is well-formed as far as it was read, but nests too deep.
  [[nodiscard]] bool too_deep() const noexcept { return too_deep_; }

 private:
  std::string reason_;
  std::size_t line_;
  std::size_t column_;
  bool too_deep_;
};

/// Parses `text` as one JSON document (RFC 8259, UTF-8) whose arrays and
/// objects nest at most `max_depth` levels. The depth is checked before the
/// document is built, so a hostile document costs one pass over its bytes.
/// Throws `JsonDocumentError` for a syntax error (invalid UTF-8 included) or a
/// document nested too deep.
nlohmann::json parse_json_document(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

/// Throws `JsonDocumentError` (too_deep) when the arrays and objects of the
/// JSON text `text` nest deeper than `max_depth`; checks nothing else. For
/// parsers of our own that must stay order-preserving or lenient.
void require_json_depth(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

/// The deepest nesting of arrays and objects in `value` (a scalar: 0, `[]`: 1),
/// computed without recursion, so any value can be measured safely.
std::size_t json_depth(const nlohmann::json& value);

/// The line and column (from 1) of byte `offset` of `text` as an editor shows
/// them: the column counts characters (UTF-8 continuation bytes do not count).
/// An offset past the end is the position just after the text.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset);

}  // namespace loveless::asl
