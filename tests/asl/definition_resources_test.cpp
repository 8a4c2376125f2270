// Parsing of what a definition names: service integration Resources and
// `${Name}` placeholders. Both take text of any size from a user's definition
// (a CreateStateMachine body is up to 1 MiB), so they must be linear and never
// recurse: std::regex's recursive matcher once overflowed the stack on a
// 100 KB Resource and took `loveless serve` down (issue 16).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/definition_substitutions.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/integration_resource.hpp"

using namespace loveless::asl;

TEST_CASE("a service integration Resource splits into service, action and suffix",
          "[definition][resource]") {
  const auto callback =
      parse_integration_resource("arn:aws:states:::lambda:invoke.waitForTaskToken");
  REQUIRE(callback);
  CHECK(callback->partition == "aws");
  CHECK(callback->rest == "lambda:invoke.waitForTaskToken");
  CHECK(callback->service == "lambda");
  CHECK(callback->action == "invoke");
  CHECK(callback->suffix == ".waitForTaskToken");

  const auto sync2 =
      parse_integration_resource("arn:aws-us-gov:states:::states:startExecution.sync:2");
  REQUIRE(sync2);
  CHECK(sync2->partition == "aws-us-gov");
  CHECK(sync2->service == "states");
  CHECK(sync2->action == "startExecution");
  CHECK(sync2->suffix == ".sync:2");

  const auto sdk = parse_integration_resource("arn:aws:states:::aws-sdk:s3:getObject");
  REQUIRE(sdk);
  CHECK(sdk->service == "aws-sdk");
  CHECK(sdk->action == "s3");
  CHECK(sdk->suffix == ":getObject");

  // A rest that is no service:action is kept whole, with no service.
  const auto odd = parse_integration_resource("arn:aws:states:::weird");
  REQUIRE(odd);
  CHECK(odd->rest == "weird");
  CHECK(odd->service.empty());
  CHECK(odd->action.empty());
}

TEST_CASE("what is not a service integration Resource is refused", "[definition][resource]") {
  CHECK_FALSE(parse_integration_resource(""));
  CHECK_FALSE(parse_integration_resource("arn:aws:states:::"));
  CHECK_FALSE(parse_integration_resource("arn::states:::lambda:invoke"));
  CHECK_FALSE(parse_integration_resource("arn:AWS:states:::lambda:invoke"));
  CHECK_FALSE(parse_integration_resource("arn:aws:states:us-east-1:123456789012:activity:work"));
  CHECK_FALSE(parse_integration_resource("arn:aws:lambda:us-east-1:123456789012:function:f"));
  CHECK_FALSE(parse_integration_resource("lambda:invoke"));
}

TEST_CASE("Resources and placeholders of hundreds of KB parse in one pass",
          "[definition][resource]") {
  const std::string long_tail(600'000, 'x');
  const auto parsed = parse_integration_resource("arn:aws:states:::lambda:invoke" + long_tail);
  REQUIRE(parsed);
  CHECK(parsed->action.size() == long_tail.size() + 6);

  // The validator reads the same Resource and answers AWS's message.
  const std::string definition =
      R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke)" +
      std::string(200'000, 'y') + R"(", "End": true}}})";
  try {
    (void)Definition::parse(definition);
    FAIL("expected the Resource to be refused");
  } catch (const InvalidDefinition& e) {
    CHECK(e.path() == "/States/T/Resource");
    CHECK_THAT(e.rule(), Catch::Contains("is not recognized"));
  }

  const auto names = placeholder_names("a ${" + long_tail + "} b ${X} c ${X} ${unclosed");
  REQUIRE(names.size() == 3);
  CHECK(names[0] == long_tail);
  CHECK(names[1] == "X");
  CHECK(names[2] == "X");
}

TEST_CASE("placeholder_names finds exactly what substitute_placeholders replaces",
          "[definition][resource]") {
  const std::string text = R"({"A": "${First}", "B": "${Second Name}", "C": "$", "D": "${}"})";
  CHECK(placeholder_names(text) == std::vector<std::string>{"First", "Second Name", ""});
  CHECK(substitute_placeholders(text, {{"First", "1"}, {"Second Name", "2"}, {"", "3"}}) ==
        R"({"A": "1", "B": "2", "C": "$", "D": "3"})");
}
