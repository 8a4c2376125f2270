#include "paging.hpp"

#include <cstdint>
#include <string>

#include "loveless/engine/service_error.hpp"

#include "limits.hpp"

namespace loveless::engine {
namespace {

// Ties a token to its listing; not a security measure.
std::string scope_digest(std::string_view scope) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : scope) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[hash & 0xFU];
    hash >>= 4U;
  }
  return out;
}

std::string to_hex(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() * 2);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kHex[byte >> 4U]);
    out.push_back(kHex[byte & 0xFU]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

[[noreturn]] void throw_invalid(std::string_view token) {
  throw ServiceError("InvalidToken", "Invalid Token: '" + std::string(token) + "'");
}

}  // namespace

std::string encode_page_token(std::string_view kind, std::string_view scope,
                              std::string_view cursor) {
  std::string plain(kind);
  plain.append(".").append(scope_digest(scope)).append(".").append(cursor);
  return to_hex(plain);
}

std::string decode_page_token(std::string_view token, std::string_view kind,
                              std::string_view scope) {
  if (token.empty() || token.size() > limits::kMaxNextTokenLength || token.size() % 2 != 0) {
    throw_invalid(token);
  }
  std::string plain;
  plain.reserve(token.size() / 2);
  for (std::size_t i = 0; i < token.size(); i += 2) {
    const int high = hex_value(token[i]);
    const int low = hex_value(token[i + 1]);
    if (high < 0 || low < 0) throw_invalid(token);
    plain.push_back(static_cast<char>(high * 16 + low));
  }
  std::string expected(kind);
  expected.append(".").append(scope_digest(scope)).append(".");
  if (plain.size() <= expected.size() || plain.compare(0, expected.size(), expected) != 0) {
    throw_invalid(token);
  }
  return plain.substr(expected.size());
}

std::uint64_t decode_page_number(std::string_view token, std::string_view kind,
                                 std::string_view scope) {
  const std::string cursor = decode_page_token(token, kind, scope);
  if (cursor.empty() || cursor.size() > 19 ||
      cursor.find_first_not_of("0123456789") != std::string::npos) {
    throw_invalid(token);
  }
  return std::stoull(cursor);
}

}  // namespace loveless::engine
