#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace loveless::engine {

/// AWS's words for the commonest JSON syntax errors, as its parser (Jackson)
/// writes them, for text our parser refused:
/// - a bare word where a value starts: "Unrecognized token 'not': was
///   expecting (JSON String, Number, Array, Object or token 'null', 'true' or
///   'false')", `column` just after the word (1-based);
/// - an object whose first field name is not quoted: "Unexpected character
///   (''' (code 39)): was expecting double-quote to start field name".
/// nullopt for other errors (callers keep their own words). Recorded in
/// test_sfn_api (StartExecution's input) and test_sfn_api_validation.
struct JsonSyntaxWords {
  std::string message;
  std::size_t line = 1;
  std::size_t column = 1;
};
std::optional<JsonSyntaxWords> json_syntax_words(std::string_view text);

}  // namespace loveless::engine
