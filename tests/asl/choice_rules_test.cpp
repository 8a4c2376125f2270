#include "loveless/asl/choice_rules.hpp"

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/asl/errors.hpp"

using loveless::asl::evaluate_choice_rule;
using loveless::asl::StatesError;
using nlohmann::json;

namespace {

const json kInput = json::parse(R"({
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

const json kContext = json::parse(R"({"Execution": {"Name": "banana"}})");

bool eval(const json& rule, const json& input = kInput) {
  return evaluate_choice_rule(rule, input, kContext);
}

/// A rule `{"Variable": variable, op: operand}`.
json rule(const std::string& variable, const std::string& op, const json& operand) {
  return json{{"Variable", variable}, {op, operand}, {"Next", "Somewhere"}};
}

std::string error_of(const json& r) {
  try {
    (void)eval(r);
  } catch (const StatesError& e) {
    return e.error();
  }
  return "none";
}

}  // namespace

TEST_CASE("string comparisons", "[choice]") {
  CHECK(eval(rule("$.s", "StringEquals", "banana")));
  CHECK_FALSE(eval(rule("$.s", "StringEquals", "Banana")));
  CHECK(eval(rule("$.s", "StringLessThan", "cherry")));
  CHECK_FALSE(eval(rule("$.s", "StringLessThan", "banana")));
  CHECK(eval(rule("$.s", "StringGreaterThan", "apple")));
  CHECK_FALSE(eval(rule("$.s", "StringGreaterThan", "banana")));
  CHECK(eval(rule("$.s", "StringLessThanEquals", "banana")));
  CHECK(eval(rule("$.s", "StringLessThanEquals", "c")));
  CHECK_FALSE(eval(rule("$.s", "StringLessThanEquals", "b")));
  CHECK(eval(rule("$.s", "StringGreaterThanEquals", "banana")));
  CHECK(eval(rule("$.s", "StringGreaterThanEquals", "b")));
  CHECK_FALSE(eval(rule("$.s", "StringGreaterThanEquals", "c")));
}

TEST_CASE("string comparisons with a path operand", "[choice]") {
  CHECK(eval(rule("$.s", "StringEqualsPath", "$.same")));
  CHECK_FALSE(eval(rule("$.s", "StringEqualsPath", "$.s2")));
  CHECK(eval(rule("$.s", "StringEqualsPath", "$$.Execution.Name")));
  CHECK(eval(rule("$.s", "StringLessThanPath", "$.s2")));
  CHECK(eval(rule("$.s2", "StringGreaterThanPath", "$.s")));
  CHECK(eval(rule("$.s", "StringLessThanEqualsPath", "$.same")));
  CHECK(eval(rule("$.s", "StringGreaterThanEqualsPath", "$.same")));
  CHECK_FALSE(eval(rule("$.s", "StringGreaterThanEqualsPath", "$.s2")));
  // The operand at the path has the wrong type.
  CHECK_FALSE(eval(rule("$.s", "StringEqualsPath", "$.n")));
}

TEST_CASE("numeric comparisons", "[choice]") {
  CHECK(eval(rule("$.n", "NumericEquals", 10)));
  CHECK(eval(rule("$.n", "NumericEquals", 10.0)));
  CHECK(eval(rule("$.ten", "NumericEquals", 10)));
  CHECK_FALSE(eval(rule("$.n", "NumericEquals", 11)));
  CHECK(eval(rule("$.f", "NumericLessThan", 3)));
  CHECK_FALSE(eval(rule("$.f", "NumericLessThan", 2.5)));
  CHECK(eval(rule("$.f", "NumericGreaterThan", 2)));
  CHECK_FALSE(eval(rule("$.f", "NumericGreaterThan", 2.5)));
  CHECK(eval(rule("$.f", "NumericLessThanEquals", 2.5)));
  CHECK_FALSE(eval(rule("$.f", "NumericLessThanEquals", 2.4)));
  CHECK(eval(rule("$.f", "NumericGreaterThanEquals", 2.5)));
  CHECK_FALSE(eval(rule("$.f", "NumericGreaterThanEquals", 2.6)));
  CHECK(eval(rule("$.neg", "NumericLessThan", 0)));
  CHECK(eval(rule("$.neg", "NumericLessThan", 18446744073709551615ULL)));
  // Large integers compare exactly, not through double.
  const json big = {{"v", 9007199254740993LL}};
  CHECK_FALSE(
      evaluate_choice_rule(rule("$.v", "NumericEquals", 9007199254740992LL), big, kContext));
  CHECK(evaluate_choice_rule(rule("$.v", "NumericGreaterThan", 9007199254740992LL), big, kContext));
}

TEST_CASE("numeric comparisons with a path operand", "[choice]") {
  CHECK(eval(rule("$.n", "NumericEqualsPath", "$.ten")));
  CHECK(eval(rule("$.n", "NumericLessThanPath", "$.n2")));
  CHECK(eval(rule("$.n2", "NumericGreaterThanPath", "$.n")));
  CHECK(eval(rule("$.n", "NumericLessThanEqualsPath", "$.ten")));
  CHECK(eval(rule("$.n", "NumericGreaterThanEqualsPath", "$.ten")));
  CHECK_FALSE(eval(rule("$.n", "NumericGreaterThanEqualsPath", "$.n2")));
  CHECK_FALSE(eval(rule("$.n", "NumericEqualsPath", "$.s")));
}

TEST_CASE("boolean comparisons", "[choice]") {
  CHECK(eval(rule("$.yes", "BooleanEquals", true)));
  CHECK_FALSE(eval(rule("$.yes", "BooleanEquals", false)));
  CHECK(eval(rule("$.no", "BooleanEquals", false)));
  CHECK(eval(rule("$.yes", "BooleanEqualsPath", "$.yes")));
  CHECK_FALSE(eval(rule("$.yes", "BooleanEqualsPath", "$.no")));
  CHECK_FALSE(eval(rule("$.yes", "BooleanEqualsPath", "$.s")));
}

TEST_CASE("timestamp comparisons", "[choice]") {
  CHECK(eval(rule("$.t", "TimestampEquals", "2024-03-01T12:00:00Z")));
  // The same instant at another offset and with a zero fraction.
  CHECK(eval(rule("$.t", "TimestampEquals", "2024-03-01T13:00:00+01:00")));
  CHECK(eval(rule("$.t", "TimestampEquals", "2024-03-01T12:00:00.000Z")));
  CHECK(eval(rule("$.t_offset", "TimestampEquals", "2024-03-01T12:00:00Z")));
  CHECK_FALSE(eval(rule("$.t_frac", "TimestampEquals", "2024-03-01T12:00:00Z")));
  CHECK(eval(rule("$.t", "TimestampLessThan", "2024-03-01T12:00:00.001Z")));
  CHECK_FALSE(eval(rule("$.t", "TimestampLessThan", "2024-03-01T12:00:00Z")));
  CHECK(eval(rule("$.t_frac", "TimestampGreaterThan", "2024-03-01T12:00:00.499999999Z")));
  CHECK_FALSE(eval(rule("$.t_frac", "TimestampGreaterThan", "2024-03-01T12:00:00.5Z")));
  CHECK(eval(rule("$.t", "TimestampLessThanEquals", "2024-03-01T12:00:00Z")));
  CHECK(eval(rule("$.t", "TimestampGreaterThanEquals", "2024-03-01T06:00:00-06:00")));
  CHECK_FALSE(eval(rule("$.t", "TimestampGreaterThanEquals", "2024-03-01T06:00:01-06:00")));
  // A non-timestamp variable or string compares false.
  CHECK_FALSE(eval(rule("$.s", "TimestampEquals", "2024-03-01T12:00:00Z")));
  CHECK_FALSE(eval(rule("$.n", "TimestampLessThan", "2024-03-01T12:00:00Z")));
}

TEST_CASE("timestamp comparisons with a path operand", "[choice]") {
  CHECK(eval(rule("$.t", "TimestampEqualsPath", "$.t_offset")));
  CHECK(eval(rule("$.t", "TimestampLessThanPath", "$.t_frac")));
  CHECK(eval(rule("$.t_later", "TimestampGreaterThanPath", "$.t")));
  CHECK(eval(rule("$.t", "TimestampLessThanEqualsPath", "$.t_offset")));
  CHECK(eval(rule("$.t", "TimestampGreaterThanEqualsPath", "$.t_offset")));
  CHECK_FALSE(eval(rule("$.t", "TimestampGreaterThanEqualsPath", "$.t_later")));
  CHECK_FALSE(eval(rule("$.t", "TimestampEqualsPath", "$.s")));
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
  CHECK_FALSE(eval(rule("$.n", "StringMatches", "*")));
}

TEST_CASE("type tests", "[choice]") {
  CHECK(eval(rule("$.nothing", "IsNull", true)));
  CHECK_FALSE(eval(rule("$.s", "IsNull", true)));
  CHECK(eval(rule("$.s", "IsNull", false)));
  CHECK(eval(rule("$.n", "IsNumeric", true)));
  CHECK(eval(rule("$.f", "IsNumeric", true)));
  CHECK_FALSE(eval(rule("$.s", "IsNumeric", true)));
  CHECK(eval(rule("$.s", "IsNumeric", false)));
  CHECK(eval(rule("$.s", "IsString", true)));
  CHECK_FALSE(eval(rule("$.n", "IsString", true)));
  CHECK(eval(rule("$.yes", "IsBoolean", true)));
  CHECK_FALSE(eval(rule("$.s", "IsBoolean", true)));
  CHECK(eval(rule("$.t", "IsTimestamp", true)));
  CHECK(eval(rule("$.t_frac", "IsTimestamp", true)));
  CHECK(eval(rule("$.t_offset", "IsTimestamp", true)));
  CHECK_FALSE(eval(rule("$.s", "IsTimestamp", true)));
  CHECK_FALSE(eval(rule("$.n", "IsTimestamp", true)));
  CHECK(eval(rule("$.s", "IsTimestamp", false)));
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
  CHECK(eval(rule("$.s", "IsPresent", true)));
  CHECK(eval(rule("$.nothing", "IsPresent", true)));
  CHECK_FALSE(eval(rule("$.missing", "IsPresent", true)));
  CHECK(eval(rule("$.missing", "IsPresent", false)));
  CHECK_FALSE(eval(rule("$.s", "IsPresent", false)));
  CHECK_FALSE(eval(rule("$.list[5]", "IsPresent", true)));
  CHECK(eval(rule("$.list[1]", "IsPresent", true)));
  CHECK(eval(rule("$$.Execution.Name", "IsPresent", true)));
}

TEST_CASE("a missing variable is States.Runtime except for IsPresent", "[choice]") {
  for (const json& r :
       {rule("$.missing", "StringEquals", "x"), rule("$.missing", "NumericEquals", 1),
        rule("$.missing", "BooleanEquals", true),
        rule("$.missing", "TimestampEquals", "2024-03-01T12:00:00Z"),
        rule("$.missing", "StringMatches", "*"), rule("$.missing", "IsNull", true),
        rule("$.missing", "IsString", false), rule("$.s", "StringEqualsPath", "$.missing")}) {
    INFO(r.dump());
    CHECK(error_of(r) == "States.Runtime");
  }
  try {
    (void)eval(rule("$.x", "StringEquals", "a"));
    FAIL("expected States.Runtime");
  } catch (const StatesError& e) {
    CHECK(e.cause() ==
          "Invalid path '$.x': The choice state's condition path references an invalid value.");
  }
}

TEST_CASE("comparisons with the wrong type are false", "[choice]") {
  CHECK_FALSE(eval(rule("$.n", "StringEquals", "10")));
  CHECK_FALSE(eval(rule("$.s", "NumericEquals", 10)));
  CHECK_FALSE(eval(rule("$.s", "NumericLessThan", 10)));
  CHECK_FALSE(eval(rule("$.nothing", "StringEquals", "null")));
  CHECK_FALSE(eval(rule("$.s", "BooleanEquals", true)));
  CHECK_FALSE(eval(rule("$.obj", "StringEquals", "v")));
  CHECK_FALSE(eval(rule("$.list", "NumericEquals", 1)));
}

TEST_CASE("And, Or and Not", "[choice]") {
  const json yes = rule("$.yes", "BooleanEquals", true);
  const json no = rule("$.no", "BooleanEquals", true);
  CHECK(eval(json{{"And", {yes, yes}}, {"Next", "X"}}));
  CHECK_FALSE(eval(json{{"And", {yes, no}}}));
  CHECK(eval(json{{"Or", {no, yes}}}));
  CHECK_FALSE(eval(json{{"Or", {no, no}}}));
  CHECK(eval(json{{"Not", no}}));
  CHECK_FALSE(eval(json{{"Not", yes}}));
  // Nested combinators.
  CHECK(eval(json{{"And", {json{{"Not", no}}, json{{"Or", {no, json{{"And", {yes, yes}}}}}}}}}));
  // Short-circuit: a missing variable after the deciding rule is never read.
  const json missing = rule("$.missing", "StringEquals", "x");
  CHECK_FALSE(eval(json{{"And", {no, missing}}}));
  CHECK(eval(json{{"Or", {yes, missing}}}));
  CHECK(error_of(json{{"And", {yes, missing}}}) == "States.Runtime");
}

TEST_CASE("rules read the context object and indexes", "[choice]") {
  CHECK(eval(rule("$$.Execution.Name", "StringEquals", "banana")));
  CHECK(eval(rule("$.list[0]", "NumericEquals", 1)));
  CHECK(eval(rule("$.obj.k", "StringEquals", "v")));
  CHECK(eval(rule("$", "IsNull", false)));
}

TEST_CASE("malformed rules are runtime errors", "[choice]") {
  CHECK(error_of(json{{"Variable", "$.s"}, {"Next", "X"}}) == "States.Runtime");
  CHECK(error_of(json{{"StringEquals", "x"}}) == "States.Runtime");
  CHECK(error_of(json("not an object")) == "States.Runtime");
  CHECK(error_of(rule("$.s[", "StringEquals", "x")) == "States.Runtime");
  CHECK(error_of(json{{"And", "nope"}}) == "States.Runtime");
}
