#include "utf8_repair.hpp"

#include <cstdint>

namespace loveless::jsonata::detail {
namespace {

// The code unit of a 3-byte sequence ED xx xx at `at` when it encodes a
// surrogate (U+D800..U+DFFF), else 0.
std::uint32_t surrogate_at(std::string_view text, std::size_t at) {
  if (at + 3 > text.size()) return 0;
  const auto b0 = static_cast<unsigned char>(text[at]);
  const auto b1 = static_cast<unsigned char>(text[at + 1]);
  const auto b2 = static_cast<unsigned char>(text[at + 2]);
  if (b0 != 0xED || b1 < 0xA0 || b1 > 0xBF || (b2 & 0xC0U) != 0x80) return 0;
  return 0xD000U | ((b1 & 0x3FU) << 6U) | (b2 & 0x3FU);
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x10000) {
    out += static_cast<char>(0xE0U | (code_point >> 12U));
    out += static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (code_point & 0x3FU));
    return;
  }
  out += static_cast<char>(0xF0U | (code_point >> 18U));
  out += static_cast<char>(0x80U | ((code_point >> 12U) & 0x3FU));
  out += static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU));
  out += static_cast<char>(0x80U | (code_point & 0x3FU));
}

}  // namespace

std::string repair_utf8(std::string_view text) {
  // Most text has no surrogate at all: one scan, then a plain copy.
  if (text.find('\xED') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::uint32_t unit = surrogate_at(text, at);
    if (unit == 0) {
      out += text[at++];
      continue;
    }
    const std::uint32_t next = unit < 0xDC00 ? surrogate_at(text, at + 3) : 0;
    if (next >= 0xDC00) {
      append_utf8(out, 0x10000U + ((unit - 0xD800U) << 10U) + (next - 0xDC00U));
      at += 6;
    } else {
      append_utf8(out, 0xFFFD);
      at += 3;
    }
  }
  return out;
}

}  // namespace loveless::jsonata::detail
