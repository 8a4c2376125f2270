#include "loveless/asl/json_path.hpp"

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/asl/errors.hpp"

using loveless::asl::JsonPath;
using loveless::asl::JsonPathNoMatch;
using loveless::asl::JsonPathSyntaxError;
using nlohmann::json;

namespace {

const json kStore = json::parse(R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
       "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings",
       "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "a b": {"c.d": 1},
  "numbers": [0, 1, 2, 3, 4, 5]
})");

const json kPathContext = json::parse(R"({"Execution": {"Id": "arn:exec", "Input": {"k": 1}},
  "Map": {"Item": {"Index": 2, "Value": "x"}}})");

json evaluate_path(std::string_view path, const json& input = kStore) {
  return JsonPath::compile(path).evaluate(input, kPathContext);
}

}  // namespace

TEST_CASE("root paths select the input or the context object", "[json_path]") {
  CHECK(evaluate_path("$") == kStore);
  CHECK(evaluate_path("$$") == kPathContext);
  CHECK(evaluate_path("$$.Execution.Id") == "arn:exec");
  CHECK(evaluate_path("$$.Map.Item.Index") == 2);
  CHECK(JsonPath::compile("$$.Execution.Id").is_context());
  CHECK_FALSE(JsonPath::compile("$.Execution.Id").is_context());
  CHECK(JsonPath::compile("$.a.b").text() == "$.a.b");
}

TEST_CASE("dot and bracket member access", "[json_path]") {
  CHECK(evaluate_path("$.store.bicycle.color") == "red");
  CHECK(evaluate_path("$['store']['bicycle']['color']") == "red");
  CHECK(evaluate_path("$[\"store\"].bicycle[\"price\"]") == 19.95);
  CHECK(evaluate_path("$['a b']['c.d']") == 1);
  CHECK(evaluate_path("$.expensive") == 10);
}

TEST_CASE("array indexes, including negative ones", "[json_path]") {
  CHECK(evaluate_path("$.numbers[0]") == 0);
  CHECK(evaluate_path("$.numbers[5]") == 5);
  CHECK(evaluate_path("$.numbers[-1]") == 5);
  CHECK(evaluate_path("$.numbers[-6]") == 0);
  CHECK(evaluate_path("$.store.book[2].author") == "Herman Melville");
  CHECK(evaluate_path("$.store.book[-1].title") == "The Lord of the Rings");
  CHECK_THROWS_AS(evaluate_path("$.numbers[6]"), JsonPathNoMatch);
  CHECK_THROWS_AS(evaluate_path("$.numbers[-7]"), JsonPathNoMatch);
  CHECK_THROWS_AS(evaluate_path("$.store[0]"), JsonPathNoMatch);
}

TEST_CASE("a definite path that matches nothing throws Jayway's reason", "[json_path]") {
  // AWS quotes these after "Invalid path '<path>' : " (recorded: "No results
  // for path: $['NoSuchOutputPath']", "Missing property in path $['no']").
  const json input = {{"a", {{"b", 1}}}};
  const auto reason = [&input](const std::string& path) {
    try {
      (void)evaluate_path(path, input);
    } catch (const JsonPathNoMatch& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  // The last segment is missing.
  CHECK(reason("$.a.c") == "No results for path: $['a']['c']");
  CHECK(reason("$.x") == "No results for path: $['x']");
  // An earlier segment is missing: the path up to it.
  CHECK(reason("$.x.y.z") == "Missing property in path $['x']");
  CHECK(reason("$.a.c.d") == "Missing property in path $['a']['c']");
  CHECK_THROWS_AS(evaluate_path("$.a.b.c", input), JsonPathNoMatch);
  CHECK_THROWS_AS(evaluate_path("$$.Nope", input), JsonPathNoMatch);
  CHECK_FALSE(JsonPath::compile("$.a.c").exists(input, kPathContext));
  CHECK(JsonPath::compile("$.a.b").exists(input, kPathContext));
  CHECK(JsonPath::compile("$.a").exists(input, kPathContext));
}

TEST_CASE("null values exist", "[json_path]") {
  const json input = {{"a", nullptr}};
  CHECK(evaluate_path("$.a", input).is_null());
  CHECK(JsonPath::compile("$.a").exists(input, kPathContext));
}

TEST_CASE("wildcards return arrays of matches", "[json_path]") {
  CHECK(evaluate_path("$.numbers[*]") == json::array({0, 1, 2, 3, 4, 5}));
  CHECK(evaluate_path("$.store.book[*].author") ==
        json::array({"Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"}));
  CHECK(evaluate_path("$.store.bicycle.*") == json::array({"red", 19.95}));
  CHECK(evaluate_path("$.store.bicycle[*]") == json::array({"red", 19.95}));
  // Items without the member are skipped, not an error, in an indefinite path.
  CHECK(evaluate_path("$.store.book[*].isbn") == json::array({"0-553-21311-3", "0-395-19395-8"}));
  CHECK(evaluate_path("$.store.book[*].missing") == json::array());
  CHECK(evaluate_path("$.missing[*]") == json::array());
}

TEST_CASE("slices", "[json_path]") {
  CHECK(evaluate_path("$.numbers[1:3]") == json::array({1, 2}));
  CHECK(evaluate_path("$.numbers[:2]") == json::array({0, 1}));
  CHECK(evaluate_path("$.numbers[4:]") == json::array({4, 5}));
  CHECK(evaluate_path("$.numbers[-2:]") == json::array({4, 5}));
  CHECK(evaluate_path("$.numbers[:-4]") == json::array({0, 1}));
  CHECK(evaluate_path("$.numbers[0:6:2]") == json::array({0, 2, 4}));
  CHECK(evaluate_path("$.numbers[3:100]") == json::array({3, 4, 5}));
  CHECK(evaluate_path("$.numbers[4:2]") == json::array());
  CHECK(evaluate_path("$.store.book[:2].price") == json::array({8.95, 12.99}));
}

TEST_CASE("unions of indexes and of member names", "[json_path]") {
  CHECK(evaluate_path("$.numbers[0,2,-1]") == json::array({0, 2, 5}));
  CHECK(evaluate_path("$.numbers[1,99]") == json::array({1}));
  CHECK(evaluate_path("$.store.book[0,1].title") == json::array({"Sayings", "Sword"}));
  // Jayway merges a member union at the leaf of a definite path into an object.
  CHECK(evaluate_path("$.store.bicycle['color','price']") ==
        json{{"color", "red"}, {"price", 19.95}});
  CHECK(evaluate_path("$.store.bicycle['color','nope']") == json{{"color", "red"}});
  CHECK(evaluate_path("$.store.book[0,1]['title','price']") ==
        json::array(
            {{{"title", "Sayings"}, {"price", 8.95}}, {{"title", "Sword"}, {"price", 12.99}}}));
  CHECK(evaluate_path("$['store','a b'].bicycle.color") == json::array({"red"}));
}

TEST_CASE("recursive descent", "[json_path]") {
  CHECK(evaluate_path("$..author") ==
        json::array({"Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"}));
  const json prices = evaluate_path("$.store..price");
  CHECK(prices.size() == 5);
  CHECK(evaluate_path("$..book[2].title") == json::array({"Moby Dick"}));
  CHECK(evaluate_path("$..book[-1].title") == json::array({"The Lord of the Rings"}));
  CHECK(evaluate_path("$..nothing") == json::array());
  const json nested = json::parse(R"({"a": {"x": 1, "b": {"x": 2}}, "c": [{"x": 3}]})");
  CHECK(evaluate_path("$..x", nested) == json::array({1, 2, 3}));
  CHECK(evaluate_path("$..['x']", nested) == json::array({1, 2, 3}));
  // nlohmann::json keeps members sorted by name, so "b" comes before "x".
  CHECK(evaluate_path("$.a..*", nested) == json::array({{{"x", 2}}, 1, 2}));
}

TEST_CASE("filter expressions with comparisons", "[json_path]") {
  CHECK(evaluate_path("$.store.book[?(@.price < 10)].title") ==
        json::array({"Sayings", "Moby Dick"}));
  CHECK(evaluate_path("$.store.book[?(@.price <= 8.99)].title") ==
        json::array({"Sayings", "Moby Dick"}));
  CHECK(evaluate_path("$.store.book[?(@.price > 20)].title") ==
        json::array({"The Lord of the Rings"}));
  CHECK(evaluate_path("$.store.book[?(@.price >= 22.99)].title") ==
        json::array({"The Lord of the Rings"}));
  CHECK(evaluate_path("$.store.book[?(@.category == 'reference')].author") ==
        json::array({"Nigel Rees"}));
  CHECK(evaluate_path("$.store.book[?(@.category == \"reference\")].author") ==
        json::array({"Nigel Rees"}));
  CHECK(evaluate_path("$.store.book[?(@.category != 'fiction')].title") ==
        json::array({"Sayings"}));
  CHECK(evaluate_path("$.numbers[?(@ > 3)]") == json::array({4, 5}));
  CHECK(evaluate_path("$.numbers[?(@ == 2)]") == json::array({2}));
  // Against the root document.
  CHECK(evaluate_path("$.store.book[?(@.price > $.expensive)].title") ==
        json::array({"Sword", "The Lord of the Rings"}));
  // Mixed types never compare equal or ordered.
  CHECK(evaluate_path("$.numbers[?(@ == '2')]") == json::array());
  CHECK(evaluate_path("$.numbers[?(@ < 'z')]") == json::array());
  // String ordering is lexicographic.
  CHECK(evaluate_path("$.store.book[?(@.author < 'F')].author") == json::array({"Evelyn Waugh"}));
}

TEST_CASE("filter expressions with && || ! and parentheses", "[json_path]") {
  CHECK(evaluate_path("$.store.book[?(@.price < 10 && @.category == 'fiction')].title") ==
        json::array({"Moby Dick"}));
  CHECK(evaluate_path("$.store.book[?(@.price < 9 || @.price > 20)].title") ==
        json::array({"Sayings", "Moby Dick", "The Lord of the Rings"}));
  CHECK(evaluate_path("$.store.book[?(!(@.price < 10))].title") ==
        json::array({"Sword", "The Lord of the Rings"}));
  CHECK(evaluate_path("$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].title") ==
        json::array({"Moby Dick", "The Lord of the Rings"}));
  CHECK(evaluate_path("$.numbers[?(@ == 1 || @ == 3 && @ > 2)]") == json::array({1, 3}));
}

TEST_CASE("existence filters and missing members", "[json_path]") {
  CHECK(evaluate_path("$.store.book[?(@.isbn)].title") ==
        json::array({"Moby Dick", "The Lord of the Rings"}));
  CHECK(evaluate_path("$.store.book[?(!@.isbn)].title") == json::array({"Sayings", "Sword"}));
  // A missing member compares false, except with != (Jayway: undefined != x).
  CHECK(evaluate_path("$.store.book[?(@.isbn == 'x')]") == json::array());
  CHECK(evaluate_path("$.store.book[?(@.isbn != '0-553-21311-3')].title") ==
        json::array({"Sayings", "Sword", "The Lord of the Rings"}));
  const json items = json::parse(R"([{"a": null}, {"a": false}, {"b": 1}, {"a": {"c": true}}])");
  CHECK(evaluate_path("$[?(@.a)]", items).size() == 3);
  CHECK(evaluate_path("$[?(@.a == null)]", items) == json::array({{{"a", nullptr}}}));
  CHECK(evaluate_path("$[?(@.a == false)]", items) == json::array({{{"a", false}}}));
  CHECK(evaluate_path("$[?(@.a.c == true)]", items) == json::array({{{"a", {{"c", true}}}}}));
  CHECK(evaluate_path("$[?(@['b'] == 1)]", items) == json::array({{{"b", 1}}}));
  CHECK(evaluate_path("$..[?(@.price < 9)].title") == json::array({"Sayings", "Moby Dick"}));
}

TEST_CASE("definite and reference path classification", "[json_path]") {
  CHECK(JsonPath::compile("$").is_reference_path());
  CHECK(JsonPath::compile("$.a.b[0]['c']").is_reference_path());
  CHECK(JsonPath::compile("$.a.b[0]['c']").is_definite());
  CHECK(JsonPath::compile("$$.Execution.Id").is_reference_path());
  CHECK_FALSE(JsonPath::compile("$.a[-1]").is_reference_path());
  CHECK(JsonPath::compile("$.a[-1]").is_definite());
  for (const char* path : {"$.a[*]", "$.*", "$..a", "$.a[0:1]", "$.a[0,1]", "$.a[?(@.b)]"}) {
    INFO(path);
    CHECK_FALSE(JsonPath::compile(path).is_reference_path());
    CHECK_FALSE(JsonPath::compile(path).is_definite());
  }
  CHECK_FALSE(JsonPath::compile("$['a','b']").is_reference_path());
  CHECK(JsonPath::compile("$.a[*]").exists(json::object(), kPathContext));
}

TEST_CASE("syntax errors are reported at compile time", "[json_path]") {
  for (const char* bad : {"",
                          "a.b",
                          "$.",
                          "$..",
                          "$[",
                          "$[0",
                          "$['a'",
                          "$['a]",
                          "$.a[b]",
                          "$.a[?(@.b <)]",
                          "$.a[?@.b]",
                          "$.a[?(@.b == 1]",
                          "$.a b",
                          "$[1:2:0]",
                          "$[99999999999999999999]",
                          "$.a)",
                          "$.a[?(1)]",
                          "$[?(@.a[*])]",
                          " $.a",
                          "$[?(@.a == tru)]"}) {
    INFO(bad);
    CHECK_THROWS_AS(JsonPath::compile(bad), JsonPathSyntaxError);
  }
}

TEST_CASE("member names may hold characters other than separators", "[json_path]") {
  const json input = {{"my-key", 1}, {"with_underscore", 2}, {"$dollar", 3}, {"ünï", 4}};
  CHECK(evaluate_path("$.my-key", input) == 1);
  CHECK(evaluate_path("$.with_underscore", input) == 2);
  CHECK(evaluate_path("$.$dollar", input) == 3);
  CHECK(evaluate_path("$.ünï", input) == 4);
  CHECK(evaluate_path("$['it\\'s']", json{{"it's", 5}}) == 5);
}

TEST_CASE("a compiled path evaluates against many inputs", "[json_path]") {
  const JsonPath path = JsonPath::compile("$.items[?(@.n > 1)].n");
  for (int i = 0; i < 5; ++i) {
    json input = {{"items", json::array()}};
    for (int n = 0; n <= i; ++n) input["items"].push_back({{"n", n}});
    CHECK(path.evaluate(input, kPathContext).size() ==
          static_cast<std::size_t>(std::max(0, i - 1)));
  }
}

TEST_CASE("assign writes ResultPath values", "[json_path][result_path]") {
  SECTION("$ replaces the whole input") {
    json target = {{"a", 1}};
    JsonPath::compile("$").assign(target, json{{"r", 2}});
    CHECK(target == json{{"r", 2}});
  }
  SECTION("a new member is added beside the input") {
    json target = {{"a", 1}};
    JsonPath::compile("$.result").assign(target, "done");
    CHECK(target == json{{"a", 1}, {"result", "done"}});
  }
  SECTION("an existing member is replaced") {
    json target = {{"a", 1}};
    JsonPath::compile("$.a").assign(target, json::array({1, 2}));
    CHECK(target == json{{"a", {1, 2}}});
  }
  SECTION("missing objects on the way are created") {
    json target = {{"a", 1}};
    JsonPath::compile("$.x.y.z").assign(target, true);
    CHECK(target == json::parse(R"({"a": 1, "x": {"y": {"z": true}}})"));
  }
  SECTION("existing objects on the way are kept") {
    json target = json::parse(R"({"x": {"keep": 1}})");
    JsonPath::compile("$.x['new key']").assign(target, 2);
    CHECK(target == json::parse(R"({"x": {"keep": 1, "new key": 2}})"));
  }
  SECTION("an existing array element is replaced") {
    json target = json::parse(R"({"list": [{"v": 1}, {"v": 2}]})");
    JsonPath::compile("$.list[1].v").assign(target, 20);
    JsonPath::compile("$.list[0]").assign(target, "first");
    CHECK(target == json::parse(R"({"list": ["first", {"v": 20}]})"));
  }
  SECTION("a non-object on the way is a match failure") {
    json target = {{"a", 1}};
    CHECK_THROWS_AS(JsonPath::compile("$.a.b").assign(target, 1), JsonPathNoMatch);
    json text = "plain string";
    CHECK_THROWS_AS(JsonPath::compile("$.a").assign(text, 1), JsonPathNoMatch);
    json list = json::array({1});
    CHECK_THROWS_AS(JsonPath::compile("$.list[3]").assign(list, 1), JsonPathNoMatch);
    CHECK_THROWS_AS(JsonPath::compile("$[3]").assign(list, 1), JsonPathNoMatch);
    CHECK(list == json::array({1}));
  }
  SECTION("only reference paths into the input are assignable") {
    json target = json::object();
    CHECK_THROWS_AS(JsonPath::compile("$.a[*]").assign(target, 1), JsonPathSyntaxError);
    CHECK_THROWS_AS(JsonPath::compile("$$.a").assign(target, 1), JsonPathSyntaxError);
  }
}

TEST_CASE("a filter nests up to 256 parentheses or negations and deeper ones are refused",
          "[jsonpath]") {
  const auto parenthesised = [](std::size_t levels) {
    return "$[?(" + std::string(levels, '(') + "@.a" + std::string(levels, ')') + ")]";
  };
  const auto negated = [](std::size_t levels) {
    return "$[?(" + std::string(levels, '!') + "@.a)]";
  };
  CHECK_NOTHROW(JsonPath::compile(parenthesised(256)));
  CHECK_NOTHROW(JsonPath::compile(negated(256)));
  // 30,000 parentheses overflowed the parser's stack and took the engine down.
  for (const auto& path : {parenthesised(257), parenthesised(30'000), negated(30'000)}) {
    try {
      (void)JsonPath::compile(path);
      FAIL("expected a filter this deep to be refused");
    } catch (const JsonPathSyntaxError& e) {
      CHECK_THAT(e.what(), Catch::Contains("nests deeper than 256 levels"));
    }
  }
  const json input = json::array({json{{"a", 1}}, json::object()});
  CHECK(JsonPath::compile(parenthesised(200)).evaluate(input, kPathContext) ==
        json::array({json{{"a", 1}}}));
}

TEST_CASE("chained descents that would copy without bound fail with States.DataLimitExceeded",
          "[json_path]") {
  // 200 levels of {"a": ...}: under a kilobyte of input. `$..a..a..a`
  // selects each subtree once per pair of its ancestors (about 1.3 million
  // selections holding 90 million values), which took gigabytes.
  std::string text = "1";
  for (int level = 0; level < 200; ++level) text = R"({"a":)" + text + "}";
  const auto input = json::parse(text);
  const auto path = loveless::asl::JsonPath::compile("$..a..a..a");
  try {
    (void)path.evaluate(input, json::object());
    FAIL("no error");
  } catch (const loveless::asl::StatesError& e) {
    CHECK(e.error() == "States.DataLimitExceeded");
    CHECK(e.cause().find("$..a..a..a") != std::string::npos);
  }
  CHECK_THROWS_AS(path.select_nodes(input), loveless::asl::StatesError);
  // Fewer levels stay within the bounds and give every match.
  std::string small = "1";
  for (int level = 0; level < 10; ++level) small = R"({"a":)" + small + "}";
  const auto matches = path.evaluate(json::parse(small), json::object());
  CHECK(matches.size() == 120);  // 10 choose 3 ancestor chains, each a match
}
