// The functions Step Functions adds to JSONata, with the outputs recorded
// against AWS where LocalStack's snapshots hold them
// (tests/aws/services/stepfunctions/v2/intrinsic_functions/*_jsonata.snapshot.json).

#include <regex>
#include <string>

#include <catch2/catch.hpp>

#include "loveless/jsonata/evaluator.hpp"

#include "evaluation_helpers.hpp"

using loveless::jsonata::evaluate;
using loveless::jsonata::EvaluationError;
using loveless::testing::code_of;
using loveless::testing::value_of;
using nlohmann::json;

TEST_CASE("$partition chunks an array with the last chunk shorter", "[jsonata][aws]") {
  CHECK(value_of("$partition([0], 1)") == json::parse("[[0]]"));
  CHECK(value_of("$partition([0], 5)") == json::parse("[[0]]"));
  CHECK(value_of("$partition([0, 1], 1)") == json::parse("[[0],[1]]"));
  CHECK(value_of("$partition([0, 1, 2], 2)") == json::parse("[[0,1],[2]]"));
  CHECK(value_of("$partition([0, 1, 2, 3], 3)") == json::parse("[[0,1,2],[3]]"));
  CHECK(value_of("$partition([0, 1, 2, 3], 4)") == json::parse("[[0,1,2,3]]"));
  CHECK(value_of("$partition([1,2,3,4,5,6,7,8,9], 3)") == json::parse("[[1,2,3],[4,5,6],[7,8,9]]"));
  CHECK(code_of("$partition([1], 0)") == "D3500");
  CHECK(code_of("$partition([1], 1.5)") == "D3500");
  CHECK(code_of("$partition([1], 'a')") == "T0410");
}

TEST_CASE("$range counts from start to end by step with both ends included", "[jsonata][aws]") {
  CHECK(value_of("$range(0, 9, 3)") == json::parse("[0,3,6,9]"));
  CHECK(value_of("$range(0, 10, 3)") == json::parse("[0,3,6,9]"));
  CHECK(value_of("$range(1, 9, 9)") == 1);  // one number: no array, as AWS returns it
  CHECK(value_of("$range(1, 9, 2)") == json::parse("[1,3,5,7,9]"));
  CHECK(value_of("$range(0, 10, 2)") == json::parse("[0,2,4,6,8,10]"));
  CHECK(value_of("$range(10, 0, -5)") == json::parse("[10,5,0]"));
  CHECK_FALSE(evaluate("$range(5, 0, 1)", nullptr, json::object()).has_value());
  CHECK(code_of("$range(0, 1, 0)") == "D3501");
  CHECK(code_of("$range(0, 1e8, 1)") == "D3502");
}

TEST_CASE("$hash digests the UTF-8 bytes of a string as lowercase hex", "[jsonata][aws]") {
  CHECK(value_of("$hash('abc', 'MD5')") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(value_of("$hash('abc', 'SHA-1')") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(value_of("$hash('abc', 'SHA-256')") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(value_of("$hash('abc', 'SHA-384')").get<std::string>().size() == 96);
  CHECK(value_of("$hash('abc', 'SHA-512')").get<std::string>().size() == 128);
  // Non-ASCII, and a character outside the BMP (a surrogate pair in JavaScript).
  CHECK(value_of("$hash('\u00e9', 'MD5')") == "66ddcd97cfdeabb2f6fb8a999b4bc76f");
  CHECK(value_of("$hash(s, 'SHA-1')", {{"s", "\U0001F600"}}) ==
        "9c533688a979a858cbd6a43c9f91aba624651f18");
  CHECK(code_of("$hash('abc', 'SHA-3')") == "D3503");
}

TEST_CASE("$random gives a number from 0 to under 1 and the same one for the same seed",
          "[jsonata][aws]") {
  const double unseeded = value_of("$random()").get<double>();
  CHECK(unseeded >= 0);
  CHECK(unseeded < 1);
  const json seeded = value_of("$random(42)");
  CHECK(seeded == value_of("$random(42)"));
  CHECK(seeded != value_of("$random(43)"));
  CHECK(seeded.get<double>() >= 0);
  CHECK(seeded.get<double>() < 1);
}

TEST_CASE("$uuid gives version 4 UUIDs", "[jsonata][aws]") {
  const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  const std::string first = value_of("$uuid()").get<std::string>();
  CHECK(std::regex_match(first, v4));
  CHECK(first != value_of("$uuid()").get<std::string>());
}

TEST_CASE("$parse reads JSON text", "[jsonata][aws]") {
  CHECK(value_of("$parse('-0')").dump() == "0");
  CHECK(value_of("$parse('1.1')") == 1.1);
  CHECK(value_of("$parse('true')") == true);
  CHECK(value_of("$parse('\"HelloWorld\"')") == "HelloWorld");
  CHECK(value_of("$parse('[1, 2, \"HelloWorld\"]')") == json::parse(R"([1,2,"HelloWorld"])"));
  CHECK(value_of("$parse(s).Arg2", {{"s", R"({"Arg1": 1, "Arg2": []})"}}) == json::array());
  CHECK(code_of("$parse('{bad')") == "D3504");
}
