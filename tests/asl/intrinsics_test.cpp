#include "loveless/asl/intrinsics.hpp"

#include <regex>
#include <set>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/errors.hpp"

using loveless::asl::evaluate_intrinsic;
using loveless::asl::is_intrinsic_call;
using loveless::asl::SeededRandom;
using loveless::asl::StatesError;
using loveless::asl::validate_intrinsic_call;
using nlohmann::json;

namespace {

const json kIntrinsicInput = json::parse(R"({
  "name": "World", "count": 3, "pi": 1.5, "flag": true, "nothing": null,
  "list": [1, 2, 2, "a", "a", {"k": 1}, {"k": 1}],
  "obj": {"a": 1, "b": {"c": 2}},
  "other": {"b": 3, "d": 4},
  "json_text": "{\"x\": [1, 2]}",
  "csv": "1,2,3,,4",
  "big": 2147483647
})");

const json kIntrinsicContext = json::parse(R"({"Execution": {"Name": "exec-1"}})");

json run(std::string_view call, const json& input = kIntrinsicInput) {
  SeededRandom random(42);
  return evaluate_intrinsic(call, input, kIntrinsicContext, random);
}

/// The error name a failing call raises, or "none".
std::string intrinsic_error_of(std::string_view call, const json& input = kIntrinsicInput) {
  try {
    (void)run(call, input);
  } catch (const StatesError& e) {
    return e.error();
  }
  return "none";
}

const std::string kFailure = "States.IntrinsicFailure";

}  // namespace

TEST_CASE("is_intrinsic_call tells calls from paths", "[intrinsics]") {
  CHECK(is_intrinsic_call("States.Format('x')"));
  CHECK(is_intrinsic_call("States.UUID()"));
  CHECK_FALSE(is_intrinsic_call("$.a"));
  CHECK_FALSE(is_intrinsic_call("$$.Execution.Id"));
  CHECK_FALSE(is_intrinsic_call("States.Format"));
}

TEST_CASE("validate_intrinsic_call checks syntax only", "[intrinsics]") {
  CHECK_NOTHROW(validate_intrinsic_call("States.Format('Hello {}', $.name)"));
  CHECK_NOTHROW(
      validate_intrinsic_call("States.Array(1, -2.5e3, true, false, null, 'x', $, $$.a)"));
  CHECK_NOTHROW(validate_intrinsic_call(
      "States.Array(States.Array(States.UUID()), $.a[?(@.b == 'x,)')], $.c[0,1])"));
  CHECK_NOTHROW(validate_intrinsic_call("  States.ArrayLength( $.list )  "));
  CHECK_NOTHROW(validate_intrinsic_call("States.Format('\\'\\{\\}\\\\')"));
  // Evaluation errors are not syntax errors.
  CHECK_NOTHROW(validate_intrinsic_call("States.ArrayGetItem($.missing, 99)"));
  for (const char* bad :
       {"States.Nope()", "States.Format", "States.Format('x'", "States.Format('x'))",
        "States.Format('unterminated)", "States.Format('bad \\n escape')", "States.Array(1,)",
        "States.Array(,1)", "States.Array(abc)", "States.Array($.a[)", "States.UUID(1)",
        "States.ArrayLength()", "States.MathRandom(1)", "States.MathRandom(1, 2, 3, 4)",
        "States.JsonMerge($.a, $.b)", "Format('x')", "States.Array(1 2)", "States.Array(-)",
        "States.Array(States.Nope())",
        // Found by the fuzzer: a backslash ending a quoted name inside a path.
        "States.Array($['\\", "States.Array($[?(@.a == '\\"}) {
    INFO(bad);
    CHECK_THROWS_AS(validate_intrinsic_call(bad), std::invalid_argument);
  }
}

TEST_CASE("syntax errors at evaluation are intrinsic failures", "[intrinsics]") {
  CHECK(intrinsic_error_of("States.Nope()") == kFailure);
  CHECK(intrinsic_error_of("States.Format('x'") == kFailure);
}

TEST_CASE("a path argument that matches nothing is States.Runtime", "[intrinsics]") {
  CHECK(intrinsic_error_of("States.Format('{}', $.missing)") == "States.Runtime");
  CHECK(intrinsic_error_of("States.ArrayLength($$.Nope)") == "States.Runtime");
  CHECK(intrinsic_error_of("States.Array(States.Array($.missing))") == "States.Runtime");
}

TEST_CASE("States.Format", "[intrinsics]") {
  CHECK(run("States.Format('Hello, {}!', $.name)") == "Hello, World!");
  CHECK(run("States.Format('{} + {} = {}', 1, $.pi, 2.5)") == "1 + 1.5 = 2.5");
  CHECK(run("States.Format('{} {} {}', $.flag, $.nothing, $.count)") == "true null 3");
  CHECK(run("States.Format('no placeholders')") == "no placeholders");
  CHECK(run("States.Format('{}', $$.Execution.Name)") == "exec-1");
  CHECK(run("States.Format('{}{}', 'a', 'b')") == "ab");
  CHECK(run("States.Format('{}', States.Format('<{}>', 'in'))") == "<in>");
  // Escapes: \{ \} are literal braces, not a placeholder; \' and \\ themselves.
  CHECK(run("States.Format('\\{\\} {} it\\'s a \\\\', 'x')") == "{} x it's a \\");
  CHECK(run("States.Format('{ } { and }')") == "{ } { and }");
}

TEST_CASE("States.Format prints objects and arrays as Java's toString", "[intrinsics]") {
  // Recorded on AWS: tests/fidelity/cases/intrinsics/format_two_objects.
  CHECK(run("States.Format('{}', $.obj)") == "{a=1, b={c=2}}");
  CHECK(run("States.Format('{}', $.list)") == "[1, 2, 2, a, a, {k=1}, {k=1}]");
}

TEST_CASE("States.Format failures", "[intrinsics]") {
  CHECK(intrinsic_error_of("States.Format('{} {}', 'one')") == kFailure);
  CHECK(intrinsic_error_of("States.Format('{}', 'one', 'two')") == kFailure);
  CHECK(intrinsic_error_of("States.Format($.count)") == kFailure);
}

TEST_CASE("States.StringToJson and States.JsonToString", "[intrinsics]") {
  CHECK(run("States.StringToJson($.json_text)") == json::parse(R"({"x": [1, 2]})"));
  CHECK(run("States.StringToJson('42')") == 42);
  CHECK(run("States.JsonToString($.obj)") == R"({"a":1,"b":{"c":2}})");
  CHECK(run("States.JsonToString($.name)") == R"("World")");
  CHECK(run("States.StringToJson(States.JsonToString($.obj))") == kIntrinsicInput["obj"]);
  CHECK(intrinsic_error_of("States.StringToJson('{not json')") == kFailure);
  // Recorded on AWS: blank text is null, as the empty string is.
  CHECK(run("States.StringToJson(' ')").is_null());
  CHECK(run("States.StringToJson('')").is_null());
  CHECK(intrinsic_error_of("States.StringToJson($.count)") == kFailure);
}

TEST_CASE("States.Array", "[intrinsics]") {
  const json input = json::parse(R"j({"a": [{"b": "x,)"}, {"b": "y"}], "c": [5, 6, 7]})j");
  CHECK(run("States.Array($.a[?(@.b == 'x,)')].b, $.c[0,2])", input) ==
        json::parse(R"j([["x,)"], [5, 7]])j"));
  CHECK(run("States.Array()") == json::array());
  CHECK(run("States.Array('a', 1, $.flag, null, $.obj)") ==
        json::array({"a", 1, true, nullptr, kIntrinsicInput["obj"]}));
  CHECK(run("States.Array(States.Array(1), 2)") == json::parse("[[1], 2]"));
}

TEST_CASE("States.ArrayPartition", "[intrinsics]") {
  CHECK(run("States.ArrayPartition(States.Array(1,2,3,4,5), 2)") ==
        json::parse("[[1,2],[3,4],[5]]"));
  CHECK(run("States.ArrayPartition(States.Array(1,2,3,4), 4)") == json::parse("[[1,2,3,4]]"));
  CHECK(run("States.ArrayPartition(States.Array(1,2), 10)") == json::parse("[[1,2]]"));
  CHECK(run("States.ArrayPartition(States.Array(), 3)") == json::array());
  CHECK(intrinsic_error_of("States.ArrayPartition(States.Array(1), 0)") == kFailure);
  CHECK(intrinsic_error_of("States.ArrayPartition(States.Array(1), -1)") == kFailure);
  CHECK(intrinsic_error_of("States.ArrayPartition(States.Array(1), 1.5)") == kFailure);
  CHECK(intrinsic_error_of("States.ArrayPartition($.obj, 1)") == kFailure);
}

TEST_CASE("States.ArrayContains", "[intrinsics]") {
  CHECK(run("States.ArrayContains($.list, 2)") == true);
  CHECK(run("States.ArrayContains($.list, 'a')") == true);
  CHECK(run("States.ArrayContains($.list, $.obj.a)") == true);
  CHECK(run("States.ArrayContains($.list, 9)") == false);
  CHECK(run("States.ArrayContains($.list, '2')") == false);
  CHECK(intrinsic_error_of("States.ArrayContains($.name, 'W')") == kFailure);
}

TEST_CASE("States.ArrayRange", "[intrinsics]") {
  CHECK(run("States.ArrayRange(1, 9, 2)") == json::parse("[1,3,5,7,9]"));
  CHECK(run("States.ArrayRange(1, 10, 2)") == json::parse("[1,3,5,7,9]"));
  CHECK(run("States.ArrayRange(5, 1, -2)") == json::parse("[5,3,1]"));
  CHECK(run("States.ArrayRange(0, 0, 1)") == json::parse("[0]"));
  CHECK(run("States.ArrayRange(5, 1, 1)") == json::array());
  CHECK(run("States.ArrayRange(1, 1000, 1)").size() == 1000);
  CHECK(intrinsic_error_of("States.ArrayRange(0, 1000, 1)") == kFailure);  // 1001 elements
  CHECK(intrinsic_error_of("States.ArrayRange(1, 5, 0)") == kFailure);
  CHECK(intrinsic_error_of("States.ArrayRange(1.5, 5, 1)") == kFailure);
  CHECK(intrinsic_error_of("States.ArrayRange('1', 5, 1)") == kFailure);
}

TEST_CASE("States.ArrayGetItem", "[intrinsics]") {
  CHECK(run("States.ArrayGetItem($.list, 0)") == 1);
  CHECK(run("States.ArrayGetItem($.list, 5)") == json{{"k", 1}});
  CHECK(run("States.ArrayGetItem(States.Array('x', 'y'), $.obj.a)") == "y");
  CHECK(intrinsic_error_of("States.ArrayGetItem($.list, 7)") == kFailure);
  CHECK(intrinsic_error_of("States.ArrayGetItem($.list, -1)") == kFailure);
  CHECK(intrinsic_error_of("States.ArrayGetItem($.obj, 0)") == kFailure);
}

TEST_CASE("States.ArrayLength", "[intrinsics]") {
  CHECK(run("States.ArrayLength($.list)") == 7);
  CHECK(run("States.ArrayLength(States.Array())") == 0);
  CHECK(intrinsic_error_of("States.ArrayLength($.name)") == kFailure);
}

TEST_CASE("States.ArrayUnique", "[intrinsics]") {
  CHECK(run("States.ArrayUnique($.list)") == json::parse(R"([1, 2, "a", {"k": 1}])"));
  CHECK(run("States.ArrayUnique(States.Array(3, 1, 3, 2, 1))") == json::parse("[3, 1, 2]"));
  CHECK(intrinsic_error_of("States.ArrayUnique($.obj)") == kFailure);
}

TEST_CASE("States.Base64Encode and States.Base64Decode", "[intrinsics]") {
  CHECK(run("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU=");
  CHECK(run("States.Base64Encode('')") == "");
  CHECK(run("States.Base64Encode('a')") == "YQ==");
  CHECK(run("States.Base64Encode('ab')") == "YWI=");
  CHECK(run("States.Base64Encode('abc')") == "YWJj");
  CHECK(run("States.Base64Decode('RGVjb2RlZCBkYXRh')") == "Decoded data");
  CHECK(run("States.Base64Decode('YQ==')") == "a");
  CHECK(run("States.Base64Decode(States.Base64Encode($.name))") == "World");
  CHECK(run("States.Base64Decode('/w==')") == "\xEF\xBF\xBD");  // 0xFF becomes U+FFFD
  CHECK(intrinsic_error_of("States.Base64Decode('not base64!')") == kFailure);
  CHECK(intrinsic_error_of("States.Base64Decode('YQ=')") == kFailure);
  CHECK(intrinsic_error_of("States.Base64Decode('Y=Q=')") == kFailure);
  CHECK(intrinsic_error_of("States.Base64Encode($.count)") == kFailure);
  const json at_limit = {{"s", std::string(10000, 'x')}};
  const json over_limit = {{"s", std::string(10001, 'x')}};
  CHECK(run("States.Base64Encode($.s)", at_limit).get<std::string>().size() == 13336);
  CHECK(intrinsic_error_of("States.Base64Encode($.s)", over_limit) == kFailure);
  const json decode_over = {{"s", std::string(10004, 'A')}};
  CHECK(intrinsic_error_of("States.Base64Decode($.s)", decode_over) == kFailure);
}

TEST_CASE("States.Hash with every algorithm", "[intrinsics]") {
  CHECK(run("States.Hash('abc', 'MD5')") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(run("States.Hash('abc', 'SHA-1')") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(run("States.Hash('abc', 'SHA-256')") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(run("States.Hash('abc', 'SHA-384')") ==
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
        "8086072ba1e7cc2358baeca134c825a7");
  CHECK(run("States.Hash('abc', 'SHA-512')") ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(run("States.Hash('', 'MD5')") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(run("States.Hash('', 'SHA-1')") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(run("States.Hash('', 'SHA-256')") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(run("States.Hash('', 'SHA-384')") ==
        "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
        "274edebfe76f65fbd51ad2f14898b95b");
  CHECK(run("States.Hash('', 'SHA-512')") ==
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

TEST_CASE("States.Hash on multi-block inputs", "[intrinsics]") {
  // FIPS 180 two-block message and the "quick brown fox" vectors.
  const json input = {{"two", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"},
                      {"fox", "The quick brown fox jumps over the lazy dog"},
                      {"long", std::string(1000, 'a')}};
  CHECK(run("States.Hash($.two, 'SHA-256')", input) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(run("States.Hash($.two, 'SHA-1')", input) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(run("States.Hash($.fox, 'MD5')", input) == "9e107d9d372bb6826bd81d3542a419d6");
  CHECK(run("States.Hash($.fox, 'SHA-512')", input) ==
        "07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb64"
        "2e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6");
  CHECK(run("States.Hash($.long, 'SHA-384')", input).get<std::string>().size() == 96);
}

TEST_CASE("States.Hash failures", "[intrinsics]") {
  CHECK(intrinsic_error_of("States.Hash('abc', 'SHA-224')") == kFailure);
  CHECK(intrinsic_error_of("States.Hash('abc', 'sha-256')") == kFailure);
  CHECK(intrinsic_error_of("States.Hash($.count, 'MD5')") == kFailure);
  const json over_limit = {{"s", std::string(10001, 'x')}};
  CHECK(intrinsic_error_of("States.Hash($.s, 'MD5')", over_limit) == kFailure);
}

TEST_CASE("States.JsonMerge", "[intrinsics]") {
  CHECK(run("States.JsonMerge($.obj, $.other, false)") ==
        json::parse(R"({"a": 1, "b": 3, "d": 4})"));
  // Shallow: the nested object of the second argument replaces the first one's.
  const json input = json::parse(R"({"x": {"n": {"p": 1, "q": 2}}, "y": {"n": {"q": 3}}})");
  CHECK(run("States.JsonMerge($.x, $.y, false)", input) == json::parse(R"({"n": {"q": 3}})"));
  CHECK(intrinsic_error_of("States.JsonMerge($.obj, $.other, true)") == kFailure);
  CHECK(intrinsic_error_of("States.JsonMerge($.obj, $.other, 'false')") == kFailure);
  CHECK(intrinsic_error_of("States.JsonMerge($.obj, $.list, false)") == kFailure);
}

TEST_CASE("States.MathRandom", "[intrinsics]") {
  SeededRandom random(7);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 500; ++i) {
    const json value =
        evaluate_intrinsic("States.MathRandom(1, 5)", kIntrinsicInput, kIntrinsicContext, random);
    REQUIRE(value.is_number_integer());
    seen.insert(value.get<std::int64_t>());
  }
  // The end is exclusive.
  CHECK(seen == std::set<std::int64_t>{1, 2, 3, 4});
  // A seed makes the result independent of the injected source.
  SeededRandom a(1);
  SeededRandom b(2);
  CHECK(evaluate_intrinsic("States.MathRandom(0, 1000000, 1234)", kIntrinsicInput,
                           kIntrinsicContext,
                           a) == evaluate_intrinsic("States.MathRandom(0, 1000000, 1234)",
                                                    kIntrinsicInput, kIntrinsicContext, b));
  // Without a seed, the injected source decides, reproducibly.
  SeededRandom c(99);
  SeededRandom d(99);
  CHECK(
      evaluate_intrinsic("States.MathRandom(0, 1000000)", kIntrinsicInput, kIntrinsicContext, c) ==
      evaluate_intrinsic("States.MathRandom(0, 1000000)", kIntrinsicInput, kIntrinsicContext, d));
  CHECK(run("States.MathRandom(-10, -9)") == -10);
  CHECK(intrinsic_error_of("States.MathRandom(5, 5)") == kFailure);
  CHECK(intrinsic_error_of("States.MathRandom(5, 1)") == kFailure);
  // Recorded on AWS: bounds with a fraction are taken (States.MathRandom(12.5, 44.51)),
  // rounded as MathAdd's operands are: 12.5 and 13.4 become 13 and 13, an empty range.
  CHECK(run("States.MathRandom(1.5, 3)") == 2);
  CHECK(intrinsic_error_of("States.MathRandom(12.5, 13.4)") == kFailure);
  CHECK(intrinsic_error_of("States.MathRandom('1', 3)") == kFailure);
  CHECK(intrinsic_error_of("States.MathRandom(1, 3, 'seed')") == kFailure);
}

TEST_CASE("States.MathAdd", "[intrinsics]") {
  CHECK(run("States.MathAdd(1, 2)") == 3);
  CHECK(run("States.MathAdd($.count, -1)") == 2);
  CHECK(run("States.MathAdd(-5, -5)") == -10);
  CHECK(run("States.MathAdd($.big, 1)") == 2147483648LL);
  CHECK(run("States.MathAdd(2.0, 1)") == 3);
  // Recorded on AWS: a fraction is rounded half up, as Java's Math.round
  // (tests/fidelity/cases/intrinsics/math_add_*).
  CHECK(run("States.MathAdd($.pi, 1)") == 3);
  CHECK(run("States.MathAdd(1.49, 1.5)") == 3);
  CHECK(run("States.MathAdd(-2.5, 0)") == -2);
  CHECK(intrinsic_error_of("States.MathAdd('1', 1)") == kFailure);
  CHECK(intrinsic_error_of("States.MathAdd(2147483648, 1)") == kFailure);
}

TEST_CASE("States.StringSplit", "[intrinsics]") {
  CHECK(run("States.StringSplit('1,2,3,4,5', ',')") == json::parse(R"(["1","2","3","4","5"])"));
  CHECK(run("States.StringSplit('This.is+a,test=string', '.+,=')") ==
        json::parse(R"(["This","is","a","test","string"])"));
  CHECK(run("States.StringSplit($.csv, ',')") == json::parse(R"(["1","2","3","4"])"));
  CHECK(run("States.StringSplit('abc', ',')") == json::parse(R"(["abc"])"));
  CHECK(run("States.StringSplit('', ',')") == json::array());
  CHECK(intrinsic_error_of("States.StringSplit($.count, ',')") == kFailure);
  CHECK(intrinsic_error_of("States.StringSplit('a', 1)") == kFailure);
}

TEST_CASE("States.UUID", "[intrinsics]") {
  const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  SeededRandom random(5);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const json uuid =
        evaluate_intrinsic("States.UUID()", kIntrinsicInput, kIntrinsicContext, random);
    REQUIRE(uuid.is_string());
    CHECK(std::regex_match(uuid.get<std::string>(), v4));
    seen.insert(uuid.get<std::string>());
  }
  CHECK(seen.size() == 50);
  SeededRandom r1(11);
  SeededRandom r2(11);
  CHECK(evaluate_intrinsic("States.UUID()", kIntrinsicInput, kIntrinsicContext, r1) ==
        evaluate_intrinsic("States.UUID()", kIntrinsicInput, kIntrinsicContext, r2));
}

TEST_CASE("wrong argument counts are intrinsic failures", "[intrinsics]") {
  for (const char* call :
       {"States.StringToJson()", "States.JsonToString(1, 2)", "States.ArrayPartition($.list)",
        "States.ArrayContains($.list)", "States.ArrayRange(1, 2)", "States.ArrayGetItem($.list)",
        "States.ArrayLength()", "States.ArrayUnique()", "States.Base64Encode()",
        "States.Base64Decode()", "States.Hash('a')", "States.JsonMerge($.obj)",
        "States.MathRandom()", "States.MathAdd(1)", "States.StringSplit('a')", "States.UUID(1)",
        "States.Format()"}) {
    INFO(call);
    CHECK(intrinsic_error_of(call) == kFailure);
  }
}

TEST_CASE("intrinsic failures carry a cause naming the function", "[intrinsics]") {
  try {
    (void)run("States.ArrayGetItem($.list, 99)");
    FAIL("expected a failure");
  } catch (const StatesError& e) {
    CHECK(e.error() == kFailure);
    CHECK(e.cause().find("States.ArrayGetItem") != std::string::npos);
  }
}

// Found by the JSONPath/intrinsic fuzzer: a cause that quotes a string holding
// invalid UTF-8 must not turn into a serializer exception.
TEST_CASE("a cause quoting invalid UTF-8 is still an intrinsic failure", "[intrinsics]") {
  CHECK(intrinsic_error_of("States.ArrayRange(5, 5, '\xff\xff\x80')") == kFailure);
  CHECK(intrinsic_error_of("States.MathAdd('\xc3', 1)") == kFailure);
}

TEST_CASE("intrinsic calls nest up to 256 levels and deeper ones are refused, never a crash",
          "[intrinsics]") {
  const auto nested = [](std::size_t levels) {
    std::string text;
    for (std::size_t i = 0; i < levels; ++i) text += "States.JsonToString(";
    return text + "$.name" + std::string(levels, ')');
  };
  CHECK_NOTHROW(validate_intrinsic_call(nested(256)));
  // 30,000 levels overflowed the parser's stack and took the engine down.
  for (const std::size_t levels : {257U, 30'000U}) {
    try {
      validate_intrinsic_call(nested(levels));
      FAIL("expected " << levels << " levels to be refused");
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains("nest deeper than 256 levels"));
    }
  }
}
