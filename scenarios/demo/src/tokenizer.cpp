#include "loveless/demo/tokenizer.hpp"

#include <algorithm>
#include <numeric>

namespace loveless::demo {
namespace {

bool is_word_byte(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\''; }

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Emits `token` with its edge apostrophes trimmed, unless nothing is left.
template <typename Emit>
void emit_trimmed(std::string_view token, Emit&& emit) {
  const auto first = token.find_first_not_of('\'');
  if (first == std::string_view::npos) return;
  const auto last = token.find_last_not_of('\'');
  emit(token.substr(first, last - first + 1));
}

template <typename Emit>
void for_each_token(std::string_view text, Emit&& emit) {
  std::string token;
  for (const char raw : text) {
    const char c = lower_ascii(raw);
    if (is_word_byte(c)) {
      token.push_back(c);
    } else if (!token.empty()) {
      emit_trimmed(token, emit);
      token.clear();
    }
  }
  if (!token.empty()) emit_trimmed(token, emit);
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  for_each_token(text, [&](std::string_view token) { tokens.emplace_back(token); });
  return tokens;
}

WordCounts count_words(std::string_view text) {
  WordCounts counts;
  for_each_token(text, [&](std::string_view token) { ++counts[std::string(token)]; });
  return counts;
}

void add_counts(WordCounts& into, const WordCounts& more) {
  for (const auto& [word, count] : more) into[word] += count;
}

std::int64_t total_words(const WordCounts& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::int64_t{0},
                         [](std::int64_t sum, const auto& entry) { return sum + entry.second; });
}

std::vector<WordCount> top_words(const WordCounts& counts, std::size_t limit) {
  std::vector<WordCount> all;
  all.reserve(counts.size());
  for (const auto& [word, count] : counts) all.push_back(WordCount{word, count});
  const auto by_rank = [](const WordCount& a, const WordCount& b) {
    return a.count != b.count ? a.count > b.count : a.word < b.word;
  };
  const auto keep = std::min(limit, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(),
                    by_rank);
  all.resize(keep);
  return all;
}

}  // namespace loveless::demo
