#include "loveless/asl/choice_rules.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/asl/errors.hpp"

using loveless::asl::evaluate_choice_rule;
using loveless::asl::StatesError;
using nlohmann::json;

namespace {

const json kRuleInput = json::parse(R"({
  "s": "banana", "s2": "cherry", "same": "banana",
  "n": 10, "f": 2.5, "n2": 20, "ten": 10.0, "neg": -3,
  "yes": true, "no": false,
  "nothing": null,
  "t": "2024-03-01T12:00:00Z",
  "t_frac": "2024-03-01T12:00:00.5Z",
  "t_offset": "2024-03-01T14:00:00+02:00",
  "t_later": "2024-03-02T00:00:00-01:30",
  "list": [1, 2], "obj": {"k": "v"}
})");

const json kRuleContext = json::parse(R"({"Execution": {"Name": "banana"}})");

bool rule_matches(const json& rule, const json& input = kRuleInput) {
  return evaluate_choice_rule(rule, input, kRuleContext);
}

/// A rule `{"Variable": variable, op: operand}`.
json rule(const std::string& variable, const std::string& op, const json& operand) {
  return json{{"Variable", variable}, {op, operand}, {"Next", "Somewhere"}};
}

std::string rule_error_of(const json& r) {
  try {
    (void)rule_matches(r);
  } catch (const StatesError& e) {
    return e.error();
  }
  return "none";
}

}  // namespace

TEST_CASE("string comparisons", "[choice]") {
  CHECK(rule_matches(rule("$.s", "StringEquals", "banana")));
  CHECK_FALSE(rule_matches(rule("$.s", "StringEquals", "Banana")));
  CHECK(rule_matches(rule("$.s", "StringLessThan", "cherry")));
  CHECK_FALSE(rule_matches(rule("$.s", "StringLessThan", "banana")));
  CHECK(rule_matches(rule("$.s", "StringGreaterThan", "apple")));
  CHECK_FALSE(rule_matches(rule("$.s", "StringGreaterThan", "banana")));
  CHECK(rule_matches(rule("$.s", "StringLessThanEquals", "banana")));
  CHECK(rule_matches(rule("$.s", "StringLessThanEquals", "c")));
  CHECK_FALSE(rule_matches(rule("$.s", "StringLessThanEquals", "b")));
  CHECK(rule_matches(rule("$.s", "StringGreaterThanEquals", "banana")));
  CHECK(rule_matches(rule("$.s", "StringGreaterThanEquals", "b")));
  CHECK_FALSE(rule_matches(rule("$.s", "StringGreaterThanEquals", "c")));
}

TEST_CASE("string comparisons with a path operand", "[choice]") {
  CHECK(rule_matches(rule("$.s", "StringEqualsPath", "$.same")));
  CHECK_FALSE(rule_matches(rule("$.s", "StringEqualsPath", "$.s2")));
  CHECK(rule_matches(rule("$.s", "StringEqualsPath", "$$.Execution.Name")));
  CHECK(rule_matches(rule("$.s", "StringLessThanPath", "$.s2")));
  CHECK(rule_matches(rule("$.s2", "StringGreaterThanPath", "$.s")));
  CHECK(rule_matches(rule("$.s", "StringLessThanEqualsPath", "$.same")));
  CHECK(rule_matches(rule("$.s", "StringGreaterThanEqualsPath", "$.same")));
  CHECK_FALSE(rule_matches(rule("$.s", "StringGreaterThanEqualsPath", "$.s2")));
  // The operand at the path has the wrong type.
  CHECK_FALSE(rule_matches(rule("$.s", "StringEqualsPath", "$.n")));
}

TEST_CASE("numeric comparisons", "[choice]") {
  CHECK(rule_matches(rule("$.n", "NumericEquals", 10)));
  CHECK(rule_matches(rule("$.n", "NumericEquals", 10.0)));
  CHECK(rule_matches(rule("$.ten", "NumericEquals", 10)));
  CHECK_FALSE(rule_matches(rule("$.n", "NumericEquals", 11)));
  CHECK(rule_matches(rule("$.f", "NumericLessThan", 3)));
  CHECK_FALSE(rule_matches(rule("$.f", "NumericLessThan", 2.5)));
  CHECK(rule_matches(rule("$.f", "NumericGreaterThan", 2)));
  CHECK_FALSE(rule_matches(rule("$.f", "NumericGreaterThan", 2.5)));
  CHECK(rule_matches(rule("$.f", "NumericLessThanEquals", 2.5)));
  CHECK_FALSE(rule_matches(rule("$.f", "NumericLessThanEquals", 2.4)));
  CHECK(rule_matches(rule("$.f", "NumericGreaterThanEquals", 2.5)));
  CHECK_FALSE(rule_matches(rule("$.f", "NumericGreaterThanEquals", 2.6)));
  CHECK(rule_matches(rule("$.neg", "NumericLessThan", 0)));
  CHECK(rule_matches(rule("$.neg", "NumericLessThan", 18446744073709551615ULL)));
  // Large integers compare exactly, not through double.
  const json big = {{"v", 9007199254740993LL}};
  CHECK_FALSE(
      evaluate_choice_rule(rule("$.v", "NumericEquals", 9007199254740992LL), big, kRuleContext));
  CHECK(evaluate_choice_rule(rule("$.v", "NumericGreaterThan", 9007199254740992LL), big,
                             kRuleContext));
}

TEST_CASE("numeric comparisons with a path operand", "[choice]") {
  CHECK(rule_matches(rule("$.n", "NumericEqualsPath", "$.ten")));
  CHECK(rule_matches(rule("$.n", "NumericLessThanPath", "$.n2")));
  CHECK(rule_matches(rule("$.n2", "NumericGreaterThanPath", "$.n")));
  CHECK(rule_matches(rule("$.n", "NumericLessThanEqualsPath", "$.ten")));
  CHECK(rule_matches(rule("$.n", "NumericGreaterThanEqualsPath", "$.ten")));
  CHECK_FALSE(rule_matches(rule("$.n", "NumericGreaterThanEqualsPath", "$.n2")));
  CHECK_FALSE(rule_matches(rule("$.n", "NumericEqualsPath", "$.s")));
}

TEST_CASE("boolean comparisons", "[choice]") {
  CHECK(rule_matches(rule("$.yes", "BooleanEquals", true)));
  CHECK_FALSE(rule_matches(rule("$.yes", "BooleanEquals", false)));
  CHECK(rule_matches(rule("$.no", "BooleanEquals", false)));
  CHECK(rule_matches(rule("$.yes", "BooleanEqualsPath", "$.yes")));
  CHECK_FALSE(rule_matches(rule("$.yes", "BooleanEqualsPath", "$.no")));
  CHECK_FALSE(rule_matches(rule("$.yes", "BooleanEqualsPath", "$.s")));
}

TEST_CASE("timestamp comparisons", "[choice]") {
  CHECK(rule_matches(rule("$.t", "TimestampEquals", "2024-03-01T12:00:00Z")));
  // The same instant at another offset and with a zero fraction.
  CHECK(rule_matches(rule("$.t", "TimestampEquals", "2024-03-01T13:00:00+01:00")));
  CHECK(rule_matches(rule("$.t", "TimestampEquals", "2024-03-01T12:00:00.000Z")));
  CHECK(rule_matches(rule("$.t_offset", "TimestampEquals", "2024-03-01T12:00:00Z")));
  CHECK_FALSE(rule_matches(rule("$.t_frac", "TimestampEquals", "2024-03-01T12:00:00Z")));
  CHECK(rule_matches(rule("$.t", "TimestampLessThan", "2024-03-01T12:00:00.001Z")));
  CHECK_FALSE(rule_matches(rule("$.t", "TimestampLessThan", "2024-03-01T12:00:00Z")));
  CHECK(rule_matches(rule("$.t_frac", "TimestampGreaterThan", "2024-03-01T12:00:00.499999999Z")));
  CHECK_FALSE(rule_matches(rule("$.t_frac", "TimestampGreaterThan", "2024-03-01T12:00:00.5Z")));
  CHECK(rule_matches(rule("$.t", "TimestampLessThanEquals", "2024-03-01T12:00:00Z")));
  CHECK(rule_matches(rule("$.t", "TimestampGreaterThanEquals", "2024-03-01T06:00:00-06:00")));
  CHECK_FALSE(rule_matches(rule("$.t", "TimestampGreaterThanEquals", "2024-03-01T06:00:01-06:00")));
  // A non-timestamp variable or string compares false.
  CHECK_FALSE(rule_matches(rule("$.s", "TimestampEquals", "2024-03-01T12:00:00Z")));
  CHECK_FALSE(rule_matches(rule("$.n", "TimestampLessThan", "2024-03-01T12:00:00Z")));
}

TEST_CASE("timestamp comparisons with a path operand", "[choice]") {
  CHECK(rule_matches(rule("$.t", "TimestampEqualsPath", "$.t_offset")));
  CHECK(rule_matches(rule("$.t", "TimestampLessThanPath", "$.t_frac")));
  CHECK(rule_matches(rule("$.t_later", "TimestampGreaterThanPath", "$.t")));
  CHECK(rule_matches(rule("$.t", "TimestampLessThanEqualsPath", "$.t_offset")));
  CHECK(rule_matches(rule("$.t", "TimestampGreaterThanEqualsPath", "$.t_offset")));
  CHECK_FALSE(rule_matches(rule("$.t", "TimestampGreaterThanEqualsPath", "$.t_later")));
  CHECK_FALSE(rule_matches(rule("$.t", "TimestampEqualsPath", "$.s")));
}

TEST_CASE("StringMatches wildcards and escapes", "[choice]") {
  const auto matches = [](const std::string& text, const std::string& pattern) {
    return evaluate_choice_rule(rule("$.v", "StringMatches", pattern), json{{"v", text}},
                                json::object());
  };
  CHECK(matches("log-2024.txt", "log-*.txt"));
  CHECK(matches("log-.txt", "log-*.txt"));
  CHECK_FALSE(matches("log-2024.csv", "log-*.txt"));
  CHECK(matches("anything", "*"));
  CHECK(matches("", "*"));
  CHECK_FALSE(matches("", "a*"));
  CHECK(matches("abc", "abc"));
  CHECK_FALSE(matches("abcd", "abc"));
  CHECK(matches("a.b.c", "*.*.*"));
  CHECK(matches("aaa", "*a"));
  CHECK(matches("mississippi", "m*iss*ppi"));
  CHECK_FALSE(matches("mississippi", "m*iss*ppx"));
  CHECK(matches("a*b", "a\\*b"));
  CHECK_FALSE(matches("axb", "a\\*b"));
  CHECK(matches("a\\b", "a\\\\b"));
  CHECK(matches("x*y*z", "*\\**"));
  CHECK_FALSE(matches("xyz", "*\\**"));
  CHECK_FALSE(rule_matches(rule("$.n", "StringMatches", "*")));
  // The first and last segments may not share characters of the text.
  CHECK_FALSE(matches("aba", "ab*ba"));
  CHECK(matches("abba", "ab*ba"));
  CHECK_FALSE(matches("ab", "ab*ab"));
  CHECK(matches("a\\", "a\\"));  // a lone trailing backslash is literal
}

namespace {

// The definition, by backtracking over every split: exponential, so only
// for the short strings of the comparison below.
bool reference_matches(std::string_view text, std::string_view pattern) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*') {
    for (std::size_t skip = 0; skip <= text.size(); ++skip) {
      if (reference_matches(text.substr(skip), pattern.substr(1))) return true;
    }
    return false;
  }
  std::size_t width = 1;
  char expected = pattern[0];
  if (expected == '\\' && pattern.size() > 1) {
    expected = pattern[1];
    width = 2;
  }
  return !text.empty() && text[0] == expected &&
         reference_matches(text.substr(1), pattern.substr(width));
}

}  // namespace

TEST_CASE("StringMatches agrees with the definition on every short text and pattern", "[choice]") {
  const auto matches = [](const std::string& text, const std::string& pattern) {
    return evaluate_choice_rule(rule("$.v", "StringMatches", pattern), json{{"v", text}},
                                json::object());
  };
  // Every text over {a, b, *} up to 4 characters against every pattern over
  // {a, b, *, backslash} up to 4: 121 texts x 341 patterns.
  const auto all_strings = [](std::string_view alphabet, std::size_t longest) {
    std::vector<std::string> out = {""};
    for (std::size_t from = 0; from < out.size(); ++from) {
      if (out[from].size() == longest) continue;
      for (const char c : alphabet) out.push_back(out[from] + c);
    }
    return out;
  };
  int compared = 0;
  for (const auto& text : all_strings("ab*", 4)) {
    for (const auto& pattern : all_strings("ab*\\", 4)) {
      INFO("text '" << text << "' pattern '" << pattern << "'");
      REQUIRE(matches(text, pattern) == reference_matches(text, pattern));
      ++compared;
    }
  }
  CHECK(compared == 121 * 341);
}

TEST_CASE("StringMatches stays near linear on patterns that make backtracking quadratic",
          "[choice]") {
  const auto matches = [](const std::string& text, const std::string& pattern) {
    return evaluate_choice_rule(rule("$.v", "StringMatches", pattern), json{{"v", text}},
                                json::object());
  };
  // 250,000 x 120,000 steps for a backtracking matcher (minutes); here the
  // answers come at once. Correctness only: no timing is asserted.
  const std::string text(250'000, 'a');
  CHECK_FALSE(matches(text, "*" + std::string(120'000, 'a') + "b"));
  CHECK(matches(text, "*" + std::string(120'000, 'a')));
  CHECK(matches(text, "*" + std::string(120'000, 'a') + "*"));
  CHECK_FALSE(matches(text, "*" + std::string(120'000, 'a') + "b*"));
}

TEST_CASE("type tests", "[choice]") {
  CHECK(rule_matches(rule("$.nothing", "IsNull", true)));
  CHECK_FALSE(rule_matches(rule("$.s", "IsNull", true)));
  CHECK(rule_matches(rule("$.s", "IsNull", false)));
  CHECK(rule_matches(rule("$.n", "IsNumeric", true)));
  CHECK(rule_matches(rule("$.f", "IsNumeric", true)));
  CHECK_FALSE(rule_matches(rule("$.s", "IsNumeric", true)));
  CHECK(rule_matches(rule("$.s", "IsNumeric", false)));
  CHECK(rule_matches(rule("$.s", "IsString", true)));
  CHECK_FALSE(rule_matches(rule("$.n", "IsString", true)));
  CHECK(rule_matches(rule("$.yes", "IsBoolean", true)));
  CHECK_FALSE(rule_matches(rule("$.s", "IsBoolean", true)));
  CHECK(rule_matches(rule("$.t", "IsTimestamp", true)));
  CHECK(rule_matches(rule("$.t_frac", "IsTimestamp", true)));
  CHECK(rule_matches(rule("$.t_offset", "IsTimestamp", true)));
  CHECK_FALSE(rule_matches(rule("$.s", "IsTimestamp", true)));
  CHECK_FALSE(rule_matches(rule("$.n", "IsTimestamp", true)));
  CHECK(rule_matches(rule("$.s", "IsTimestamp", false)));
}

TEST_CASE("IsTimestamp follows RFC 3339 with the ASL restrictions", "[choice]") {
  const auto is_timestamp = [](const std::string& text) {
    return evaluate_choice_rule(rule("$.v", "IsTimestamp", true), json{{"v", text}},
                                json::object());
  };
  CHECK(is_timestamp("2016-03-14T01:59:00Z"));
  CHECK(is_timestamp("2016-03-14T01:59:00.123456789Z"));
  CHECK(is_timestamp("2016-03-14T01:59:00.1234567891234Z"));
  CHECK(is_timestamp("2016-03-14T01:59:00-08:00"));
  CHECK(is_timestamp("2024-02-29T23:59:59+14:00"));
  CHECK_FALSE(is_timestamp("2023-02-29T00:00:00Z"));  // not a leap year
  CHECK_FALSE(is_timestamp("2016-13-14T01:59:00Z"));
  CHECK_FALSE(is_timestamp("2016-03-32T01:59:00Z"));
  CHECK_FALSE(is_timestamp("2016-03-14T24:00:00Z"));
  CHECK_FALSE(is_timestamp("2016-03-14T01:60:00Z"));
  CHECK_FALSE(is_timestamp("2016-03-14T01:59:60Z"));
  CHECK_FALSE(is_timestamp("2016-03-14t01:59:00Z"));  // lowercase t
  CHECK_FALSE(is_timestamp("2016-03-14T01:59:00z"));  // lowercase z
  CHECK_FALSE(is_timestamp("2016-03-14 01:59:00Z"));
  CHECK_FALSE(is_timestamp("2016-03-14T01:59:00"));  // no time zone
  CHECK_FALSE(is_timestamp("2016-03-14T01:59:00.Z"));
  CHECK_FALSE(is_timestamp("2016-03-14T01:59:00+0800"));
  CHECK_FALSE(is_timestamp("2016-03-14T01:59:00+08:00 "));
  CHECK_FALSE(is_timestamp("2016-03-14"));
  CHECK_FALSE(is_timestamp(""));
}

TEST_CASE("IsPresent", "[choice]") {
  CHECK(rule_matches(rule("$.s", "IsPresent", true)));
  CHECK(rule_matches(rule("$.nothing", "IsPresent", true)));
  CHECK_FALSE(rule_matches(rule("$.missing", "IsPresent", true)));
  CHECK(rule_matches(rule("$.missing", "IsPresent", false)));
  CHECK_FALSE(rule_matches(rule("$.s", "IsPresent", false)));
  CHECK_FALSE(rule_matches(rule("$.list[5]", "IsPresent", true)));
  CHECK(rule_matches(rule("$.list[1]", "IsPresent", true)));
  CHECK(rule_matches(rule("$$.Execution.Name", "IsPresent", true)));
}

TEST_CASE("a missing variable is States.Runtime except for IsPresent", "[choice]") {
  for (const json& r :
       {rule("$.missing", "StringEquals", "x"), rule("$.missing", "NumericEquals", 1),
        rule("$.missing", "BooleanEquals", true),
        rule("$.missing", "TimestampEquals", "2024-03-01T12:00:00Z"),
        rule("$.missing", "StringMatches", "*"), rule("$.missing", "IsNull", true),
        rule("$.missing", "IsString", false), rule("$.s", "StringEqualsPath", "$.missing")}) {
    INFO(r.dump());
    CHECK(rule_error_of(r) == "States.Runtime");
  }
  try {
    (void)rule_matches(rule("$.x", "StringEquals", "a"));
    FAIL("expected States.Runtime");
  } catch (const StatesError& e) {
    CHECK(e.cause() ==
          "Invalid path '$.x': The choice state's condition path references an invalid value.");
  }
}

TEST_CASE("comparisons with the wrong type are false", "[choice]") {
  CHECK_FALSE(rule_matches(rule("$.n", "StringEquals", "10")));
  CHECK_FALSE(rule_matches(rule("$.s", "NumericEquals", 10)));
  CHECK_FALSE(rule_matches(rule("$.s", "NumericLessThan", 10)));
  CHECK_FALSE(rule_matches(rule("$.nothing", "StringEquals", "null")));
  CHECK_FALSE(rule_matches(rule("$.s", "BooleanEquals", true)));
  CHECK_FALSE(rule_matches(rule("$.obj", "StringEquals", "v")));
  CHECK_FALSE(rule_matches(rule("$.list", "NumericEquals", 1)));
}

TEST_CASE("And, Or and Not", "[choice]") {
  const json yes = rule("$.yes", "BooleanEquals", true);
  const json no = rule("$.no", "BooleanEquals", true);
  CHECK(rule_matches(json{{"And", {yes, yes}}, {"Next", "X"}}));
  CHECK_FALSE(rule_matches(json{{"And", {yes, no}}}));
  CHECK(rule_matches(json{{"Or", {no, yes}}}));
  CHECK_FALSE(rule_matches(json{{"Or", {no, no}}}));
  CHECK(rule_matches(json{{"Not", no}}));
  CHECK_FALSE(rule_matches(json{{"Not", yes}}));
  // Nested combinators.
  CHECK(rule_matches(
      json{{"And", {json{{"Not", no}}, json{{"Or", {no, json{{"And", {yes, yes}}}}}}}}}));
  // Short-circuit: a missing variable after the deciding rule is never read.
  const json missing = rule("$.missing", "StringEquals", "x");
  CHECK_FALSE(rule_matches(json{{"And", {no, missing}}}));
  CHECK(rule_matches(json{{"Or", {yes, missing}}}));
  CHECK(rule_error_of(json{{"And", {yes, missing}}}) == "States.Runtime");
}

TEST_CASE("rules read the context object and indexes", "[choice]") {
  CHECK(rule_matches(rule("$$.Execution.Name", "StringEquals", "banana")));
  CHECK(rule_matches(rule("$.list[0]", "NumericEquals", 1)));
  CHECK(rule_matches(rule("$.obj.k", "StringEquals", "v")));
  CHECK(rule_matches(rule("$", "IsNull", false)));
}

TEST_CASE("malformed rules are runtime errors", "[choice]") {
  CHECK(rule_error_of(json{{"Variable", "$.s"}, {"Next", "X"}}) == "States.Runtime");
  CHECK(rule_error_of(json{{"StringEquals", "x"}}) == "States.Runtime");
  CHECK(rule_error_of(json("not an object")) == "States.Runtime");
  CHECK(rule_error_of(rule("$.s[", "StringEquals", "x")) == "States.Runtime");
  CHECK(rule_error_of(json{{"And", "nope"}}) == "States.Runtime");
}
