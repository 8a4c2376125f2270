#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace loveless::demo {

/// Word -> number of occurrences, ordered by word.
using WordCounts = std::map<std::string, std::int64_t>;

/// Splits `text` into words. The tokenizer, exactly:
/// 1. ASCII letters are lowercased; every other byte stays as it is.
/// 2. A token is a maximal run of `[a-z0-9']`; every other byte (white space,
///    punctuation, hyphens, bytes of non-ASCII UTF-8 characters) separates tokens.
/// 3. Apostrophes at either end of a token are removed (`'as` -> `as`,
///    `licensor's` stays); a token left empty is dropped.
/// So `Don't re-use "THE" Licensor's 'Work'.` gives
/// `don't re use the licensor's work`.
std::vector<std::string> tokenize(std::string_view text);

/// `tokenize(text)` counted.
WordCounts count_words(std::string_view text);

/// Adds `more` into `into`.
void add_counts(WordCounts& into, const WordCounts& more);

/// The sum of all counts.
std::int64_t total_words(const WordCounts& counts);

/// One entry of a top-words list.
struct WordCount {
  std::string word;
  std::int64_t count = 0;
  friend bool operator==(const WordCount&, const WordCount&) = default;
};

/// The `limit` most frequent words, by count (descending), ties by word (ascending).
std::vector<WordCount> top_words(const WordCounts& counts, std::size_t limit);

}  // namespace loveless::demo
