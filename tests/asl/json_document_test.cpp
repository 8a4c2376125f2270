// JSON documents from outside: syntax errors with line and column, the
// nesting bound, and no library wording in any message (json_document.hpp).
#include "loveless/asl/json_document.hpp"

#include <string>

#include <catch2/catch.hpp>

using loveless::asl::json_depth;
using loveless::asl::JsonDocumentError;
using loveless::asl::kMaxJsonDepth;
using loveless::asl::parse_json_document;

namespace {

JsonDocumentError document_error_of(const std::string& text) {
  try {
    parse_json_document(text);
  } catch (const JsonDocumentError& error) {
    return error;
  }
  FAIL("expected a JsonDocumentError for " << text);
  return JsonDocumentError("", 0, 0, false);
}

}  // namespace

TEST_CASE("a syntax error names its line and column, in our words", "[json]") {
  const auto error = document_error_of("{\n  \"a\": 1,\n  \"b\": x\n}");
  CHECK(error.line() == 3);
  CHECK(error.column() == 8);
  CHECK_FALSE(error.too_deep());
  CHECK_THAT(std::string(error.what()), Catch::StartsWith("line 3, column 8: "));
  CHECK_THAT(std::string(error.what()), !Catch::Contains("json.exception"));
}

TEST_CASE("bytes that are not UTF-8 and numbers beyond a double are errors, not crashes",
          "[json]") {
  CHECK_THAT(std::string(document_error_of("\"a\xc3\x28\"").what()), !Catch::Contains("json.exception"));
  // Found by fuzz/request_fuzzer: nlohmann throws out_of_range, not parse_error.
  const auto overflow = document_error_of("911E11111110");
  CHECK_THAT(std::string(overflow.what()), Catch::Contains("number overflow"));
  CHECK_THAT(std::string(overflow.what()), !Catch::Contains("json.exception"));
}

TEST_CASE("nesting is bounded before the document is built", "[json]") {
  const auto at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(json_depth(parse_json_document(at_limit)) == kMaxJsonDepth);

  const auto over =
      "{\"a\": " + std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']') + "}";
  const auto error = document_error_of(over);
  CHECK(error.too_deep());
  CHECK(error.column() == kMaxJsonDepth + 6);  // the bracket that opens level 1001
  CHECK_THAT(std::string(error.what()), Catch::Contains("deeper than 1000 levels"));

  // Brackets inside strings do not count.
  const auto in_string = "\"" + std::string(5000, '[') + "\"";
  CHECK(parse_json_document(in_string).get<std::string>().size() == 5000);
  const auto escaped = R"(["\"[[[", 1])";
  CHECK(parse_json_document(escaped).size() == 2);
}

TEST_CASE("json_depth measures without recursion", "[json]") {
  CHECK(json_depth(nlohmann::json(1)) == 0);
  CHECK(json_depth(nlohmann::json::array()) == 1);
  CHECK(json_depth(nlohmann::json{{"a", {{"b", {1, 2}}}}}) == 3);
}
