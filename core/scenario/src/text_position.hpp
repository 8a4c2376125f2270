#pragma once

#include <cstddef>
#include <string_view>

namespace loveless::scenario::detail {

/// A position in text as an editor shows it: 1-based line and column, the
/// column counted in characters (UTF-8 continuation bytes not counted).
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// The position of the character at 1-based byte index `byte` of `text`, as
/// nlohmann::json's `parse_error::byte` gives it (the last character read).
/// A byte past the end (end of input) is the position just after the text.
TextPosition position_of_byte(std::string_view text, std::size_t byte);

}  // namespace loveless::scenario::detail
