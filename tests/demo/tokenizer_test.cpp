#include "loveless/demo/tokenizer.hpp"

#include <catch2/catch.hpp>

namespace loveless::demo {
namespace {

using Tokens = std::vector<std::string>;

TEST_CASE("tokenize lowercases and splits on everything but [a-z0-9']", "[demo][tokenizer]") {
  CHECK(tokenize("Don't re-use \"THE\" Licensor's 'Work'.") ==
        Tokens{"don't", "re", "use", "the", "licensor's", "work"});
  CHECK(tokenize("GPL-3.0 or (at your option) v2") ==
        Tokens{"gpl", "3", "0", "or", "at", "your", "option", "v2"});
  CHECK(tokenize("tab\there\nnew_line") == Tokens{"tab", "here", "new", "line"});
}

TEST_CASE("tokenize trims edge apostrophes and drops tokens made of them", "[demo][tokenizer]") {
  CHECK(tokenize("'AS IS' ''' rock'n'roll'") == Tokens{"as", "is", "rock'n'roll"});
  CHECK(tokenize("''").empty());
}

TEST_CASE("tokenize treats non-ASCII bytes as separators", "[demo][tokenizer]") {
  CHECK(tokenize("caf\xc3\xa9 na\xc3\xafve") == Tokens{"caf", "na", "ve"});
  CHECK(tokenize("").empty());
  CHECK(tokenize(" \n\t ").empty());
}

TEST_CASE("count_words, add_counts and total_words agree", "[demo][tokenizer]") {
  auto counts = count_words("a b A b; c");
  CHECK(counts == WordCounts{{"a", 2}, {"b", 2}, {"c", 1}});
  add_counts(counts, count_words("c d"));
  CHECK(counts == WordCounts{{"a", 2}, {"b", 2}, {"c", 2}, {"d", 1}});
  CHECK(total_words(counts) == 7);
}

TEST_CASE("top_words orders by count then word and keeps at most the limit", "[demo][tokenizer]") {
  const WordCounts counts{{"b", 3}, {"a", 3}, {"z", 5}, {"c", 1}};
  CHECK(top_words(counts, 3) == std::vector<WordCount>{{"z", 5}, {"a", 3}, {"b", 3}});
  CHECK(top_words(counts, 10).size() == 4);
  CHECK(top_words({}, 10).empty());
}

}  // namespace
}  // namespace loveless::demo
