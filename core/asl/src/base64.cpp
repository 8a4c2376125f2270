#include "loveless/asl/base64.hpp"

#include <cstdint>

namespace loveless::asl {

namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n =
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U) |
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U) |
        static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kBase64Alphabet[(n >> 18U) & 63U]);
    out.push_back(kBase64Alphabet[(n >> 12U) & 63U]);
    out.push_back(kBase64Alphabet[(n >> 6U) & 63U]);
    out.push_back(kBase64Alphabet[n & 63U]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
    out.push_back(kBase64Alphabet[(n >> 18U) & 63U]);
    out.push_back(kBase64Alphabet[(n >> 12U) & 63U]);
    out.push_back(rest == 2 ? kBase64Alphabet[(n >> 6U) & 63U] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t n = 0;
    int padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      std::uint32_t v = 0;
      if (c == '=') {
        // Padding only in the last one or two positions of the last quantum.
        if (i + 4 != text.size() || j < 2) return std::nullopt;
        ++padding;
      } else {
        if (padding > 0) return std::nullopt;
        const std::size_t pos = kBase64Alphabet.find(c);
        if (pos == std::string_view::npos) return std::nullopt;
        v = static_cast<std::uint32_t>(pos);
      }
      n = (n << 6U) | v;
    }
    out.push_back(static_cast<char>((n >> 16U) & 0xFFU));
    if (padding < 2) out.push_back(static_cast<char>((n >> 8U) & 0xFFU));
    if (padding < 1) out.push_back(static_cast<char>(n & 0xFFU));
  }
  return out;
}

}  // namespace loveless::asl
