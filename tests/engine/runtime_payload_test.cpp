// What a Lambda Task state sees from a Runtime API post (runtime_payload.hpp).
#include "runtime_payload.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "lambda_errors.hpp"

using namespace loveless::engine;

TEST_CASE("a response payload is the result, or Lambda.Unknown saying why", "[lambda]") {
  const auto ok = runtime_response_outcome(R"({"n": 1})");
  REQUIRE(ok.output);
  CHECK((*ok.output)["n"] == 1);
  CHECK(*runtime_response_outcome("").output == nlohmann::json());  // empty payload: null

  const auto not_json = runtime_response_outcome("hello");
  CHECK_FALSE(not_json.output);
  CHECK(not_json.error == lambda_errors::kUnknown);
  CHECK(not_json.cause == "The function returned a payload that is not JSON: hello");

  const auto deep = runtime_response_outcome(std::string(5000, '[') + std::string(5000, ']'));
  CHECK_FALSE(deep.output);
  CHECK(deep.error == lambda_errors::kUnknown);
  CHECK_THAT(deep.cause, Catch::Contains("deeper than 1000 levels"));
  CHECK(deep.cause.size() < 200);  // the reason, not 10 KB of brackets
}

TEST_CASE("an error post is named by its payload's errorType, else the header", "[lambda]") {
  const auto typed = runtime_error_outcome(R"({"errorType": "Oops", "errorMessage": "m"})", "Hdr");
  CHECK_FALSE(typed.output);
  CHECK(typed.error == "Oops");
  CHECK(typed.cause == R"({"errorType": "Oops", "errorMessage": "m"})");

  CHECK(runtime_error_outcome("not json", "Unhandled").error == "Unhandled");
  CHECK(runtime_error_outcome(R"({"errorType": 7})", "Hdr").error == "Hdr");

  const auto unknown = runtime_error_outcome("boom", "");
  CHECK(unknown.error == lambda_errors::kUnknown);
  CHECK(unknown.cause == lambda_errors::unknown_cause("boom"));
}
