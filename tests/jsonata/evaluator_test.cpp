#include "loveless/jsonata/evaluator.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "evaluation_helpers.hpp"

using loveless::jsonata::evaluate;
using loveless::jsonata::EvaluationError;
using loveless::testing::error_of;
using loveless::testing::value_of;
using nlohmann::json;

TEST_CASE("values of paths and functions and constructors", "[jsonata]") {
  const json input = json::parse(
      R"({"a": [1, 2, 3], "o": {"k": "v"}, "people": [{"n": "x", "age": 3}, {"n": "y", "age": 5}]})");
  CHECK(value_of("$sum(a)", input) == 6);
  CHECK(value_of("o.k", input) == "v");
  CHECK(value_of("people[age > 4].n", input) == "y");
  CHECK(value_of("people.n", input) == json::array({"x", "y"}));
  CHECK(value_of("{'total': $sum(people.age)}", input) == json{{"total", 8}});
  CHECK(value_of("  1 + 1  ") == 2);
  CHECK(value_of("$string(1e21)") == "1e+21");
  CHECK(value_of("0.1 + 0.2") == 0.30000000000000004);
}

TEST_CASE("an expression that matches nothing is undefined", "[jsonata]") {
  CHECK_FALSE(evaluate("missing.path", json::object(), json::object()).has_value());
  CHECK_FALSE(evaluate("[1, 2][5]", nullptr, json::object()).has_value());
  // A lone function serialises to nothing, as JSON.stringify makes it.
  CHECK(evaluate("$sum", nullptr, json::object()).has_value());
}

TEST_CASE("bindings are variables", "[jsonata]") {
  const json bindings = {{"states", {{"input", {{"x", 2}}}}}, {"myVar", 3}};
  CHECK(value_of("$states.input.x * $myVar", nullptr, bindings) == 6);
  CHECK_FALSE(evaluate("$notBound", nullptr, bindings).has_value());
}

TEST_CASE("null bindings are none and other non-objects are misuse", "[jsonata]") {
  CHECK_FALSE(evaluate("$myVar", nullptr, nullptr).has_value());
  CHECK_THROWS_AS(evaluate("1", nullptr, json::array()), std::invalid_argument);
}

TEST_CASE("errors carry jsonata's code and message and position", "[jsonata]") {
  const EvaluationError syntax = error_of("a[");
  CHECK(syntax.code == "S0203");
  CHECK(syntax.position == 2);
  CHECK(std::string(syntax.what()).find("Expected \"]\"") != std::string::npos);
  CHECK(error_of("'a' + 1").code == "T2001");
  CHECK(error_of("$error('boom')").code == "D3137");
  CHECK(std::string(error_of("$error('boom')").what()) == "boom");
  CHECK(error_of("$power(10, 400)").code == "D3061");
}

TEST_CASE("check_syntax compiles without evaluating", "[jsonata]") {
  CHECK_FALSE(loveless::jsonata::check_syntax("$error('only at evaluation')").has_value());
  const auto error = loveless::jsonata::check_syntax("{'a' 1}");
  REQUIRE(error.has_value());
  CHECK(error->code == "S0202");
}

TEST_CASE("strings: jsonata counts code points where JavaScript counts code units", "[jsonata]") {
  const json input = {{"s", "h\u00e9llo \U0001F600"}};
  CHECK(value_of("$length(s)", input) == 7);
  CHECK(value_of("s", input) == "h\u00e9llo \U0001F600");
  CHECK(value_of("$substring(s, 6, 1)", input) == "\U0001F600");
  CHECK(value_of("$pad(s, 9, '*')", input) == "h\u00e9llo \U0001F600**");
  CHECK(value_of("$uppercase('\u00e9') & '\u2713'") == "\u00c9\u2713");
  // $split on '' splits UTF-16 code units (String.prototype.split); a lone
  // surrogate has no UTF-8 form: U+FFFD (Node would print "\ud83d").
  CHECK(value_of("$split(s, '')[-1]", input) == "\uFFFD");
}

TEST_CASE("numbers: large integers and -0 and exponents and non-finite", "[jsonata]") {
  // jsonata lets Infinity through arithmetic; JSON.stringify makes it null.
  CHECK(value_of("1 / 0") == nullptr);
  // Rounded to the nearest double as JavaScript's JSON.parse does.
  CHECK(value_of("$", json(9007199254740993ULL)) == 9007199254740992.0);
  CHECK(value_of("$x", nullptr, {{"x", -9007199254740993LL}}) == -9007199254740992.0);
  CHECK(value_of("-0").dump() == "0");
  CHECK(value_of("1e21 * 10") == 1e22);
  CHECK(value_of("5e-324") == 5e-324);
}

TEST_CASE("sequences are unwrapped and flattened as jsonata does", "[jsonata]") {
  const json input = json::parse(R"({"a": [{"b": [1]}, {"b": [2, 3]}]})");
  CHECK(value_of("a.b", input) == json::array({1, 2, 3}));
  CHECK(value_of("a[0].b", input) == json::array({1}));  // an array in the input stays one
  CHECK(value_of("a.b[0]", input) == json::array({1, 2}));
  CHECK(value_of("$[0]", json::array({7})) == 7);
}

TEST_CASE("$eval is not available as on AWS", "[jsonata]") {
  CHECK(error_of("$eval('1 + 1')").code == "T1006");
}

TEST_CASE("threads evaluate at once", "[jsonata]") {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([t, &wrong] {
      for (int i = 0; i < 40; ++i) {
        const json input = {{"t", t}, {"i", i}};
        const auto result = evaluate("t * 1000 + i + $offset", input, {{"offset", 7}});
        if (!result || *result != t * 1000 + i + 7) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
}
