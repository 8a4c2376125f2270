#include "text_position.hpp"

#include <algorithm>

namespace loveless::scenario::detail {

TextPosition position_of_byte(std::string_view text, std::size_t byte) {
  const auto offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  TextPosition position;
  for (std::size_t index = 0; index < offset; ++index) {
    const auto c = static_cast<unsigned char>(text[index]);
    if (c == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((c & 0xC0U) != 0x80U) {
      ++position.column;
    }
  }
  return position;
}

}  // namespace loveless::scenario::detail
