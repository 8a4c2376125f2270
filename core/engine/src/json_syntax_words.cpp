#include "json_syntax_words.hpp"

namespace loveless::engine {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// 1-based line and column of `offset` in `text`.
JsonSyntaxWords at(std::string message, std::string_view text, std::size_t offset) {
  JsonSyntaxWords words{std::move(message), 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++words.line;
      words.column = 1;
    } else {
      ++words.column;
    }
  }
  return words;
}

}  // namespace

std::optional<JsonSyntaxWords> json_syntax_words(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size() && is_space(text[start])) ++start;
  if (start == text.size()) return std::nullopt;
  const char first = text[start];
  const bool letter = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  if (letter) {
    std::size_t end = start;
    while (end < text.size() && is_word_char(text[end])) ++end;
    const auto word = text.substr(start, end - start);
    if (word == "null" || word == "true" || word == "false") return std::nullopt;
    return at("Unrecognized token '" + std::string(word) +
                  "': was expecting (JSON String, Number, Array, Object or token 'null', "
                  "'true' or 'false')",
              text, end);
  }
  if (first == '{') {
    std::size_t next = start + 1;
    while (next < text.size() && is_space(text[next])) ++next;
    if (next < text.size() && text[next] != '"' && text[next] != '}') {
      const auto c = static_cast<unsigned char>(text[next]);
      if (c < 0x20U || c >= 0x7FU) return std::nullopt;
      return at("Unexpected character ('" + std::string(1, text[next]) + "' (code " +
                    std::to_string(c) + ")): was expecting double-quote to start field name",
                text, next + 1);
    }
  }
  return std::nullopt;
}

}  // namespace loveless::engine
