#include "loveless/asl/payload_template.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/errors.hpp"

using loveless::asl::evaluate_payload_template;
using loveless::asl::SeededRandom;
using loveless::asl::StatesError;
using nlohmann::json;

namespace {

const json kTemplateInput = json::parse(R"j({"name": "Ada", "items": [{"id": 1}, {"id": 2}], "n": 2})j");
const json kTemplateContext =
    json::parse(R"j({"Execution": {"Id": "arn:exec"}, "Map": {"Item": {"Index": 0}}})j");

json apply_template(const json& payload, const json& input = kTemplateInput) {
  SeededRandom random(1);
  return evaluate_payload_template(payload, input, kTemplateContext, random);
}

}  // namespace

TEST_CASE("static values are copied unchanged", "[payload_template]") {
  const json payload = json::parse(R"j({"a": 1, "b": [true, null, "$.name"], "c": {"d": "x"}})j");
  CHECK(apply_template(payload) == payload);
  CHECK(apply_template(json("plain")) == "plain");
  CHECK(apply_template(json::array({1, 2})) == json::array({1, 2}));
}

TEST_CASE(".$ keys take paths and lose their suffix", "[payload_template]") {
  const json payload = json::parse(R"j({
    "who.$": "$.name",
    "whole.$": "$",
    "first.$": "$.items[0].id",
    "ids.$": "$.items[*].id",
    "exec.$": "$$.Execution.Id",
    "index.$": "$$.Map.Item.Index",
    "static": "$.name"
  })j");
  CHECK(apply_template(payload) == json::parse(R"j({
    "who": "Ada", "whole": {"name": "Ada", "items": [{"id": 1}, {"id": 2}], "n": 2},
    "first": 1, "ids": [1, 2], "exec": "arn:exec", "index": 0, "static": "$.name"
  })j"));
}

TEST_CASE(".$ keys take intrinsic calls", "[payload_template]") {
  const json payload = json::parse(R"j({
    "greeting.$": "States.Format('Hello, {}', $.name)",
    "count.$": "States.ArrayLength($.items)",
    "sum.$": "States.MathAdd($.n, 40)"
  })j");
  CHECK(apply_template(payload) ==
        json::parse(R"j({"greeting": "Hello, Ada", "count": 2, "sum": 42})j"));
}

TEST_CASE("templates nest through objects and arrays", "[payload_template]") {
  const json payload = json::parse(R"j({
    "outer": {"inner.$": "$.name", "list": [{"v.$": "$.n"}, 3, {"w": {"x.$": "$.items[1]"}}]}
  })j");
  CHECK(apply_template(payload) == json::parse(R"j({
    "outer": {"inner": "Ada", "list": [{"v": 2}, 3, {"w": {"x": {"id": 2}}}]}
  })j"));
}

TEST_CASE("a path that matches nothing is States.Runtime quoting the input", "[payload_template]") {
  // Recorded on AWS: States.Runtime (not States.ParameterPathFailure); the
  // interpreter prefixes the cause with the state it happened in.
  const json input = {{"a", 1}};
  try {
    (void)apply_template(json{{"x.$", "$.x"}}, input);
    FAIL("expected States.Runtime");
  } catch (const StatesError& e) {
    CHECK(e.error() == "States.Runtime");
    CHECK(
        e.cause() ==
        R"j(The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{"a":1}')j");
  }
  // A context path that matches nothing quotes the state's input too, not the
  // context object.
  try {
    (void)apply_template(json{{"nested", {{"deep.$", "$$.Nope"}}}}, input);
    FAIL("expected States.Runtime");
  } catch (const StatesError& e) {
    CHECK(e.error() == "States.Runtime");
    CHECK(
        e.cause() ==
        R"j(The JSONPath '$$.Nope' specified for the field 'deep.$' could not be found in the input '{"a":1}')j");
    CHECK(e.cause().find("arn:exec") == std::string::npos);
  }
}

TEST_CASE("an indefinite path that matches nothing yields an empty array", "[payload_template]") {
  CHECK(apply_template(json{{"x.$", "$.items[?(@.id > 5)]"}}) == json{{"x", json::array()}});
}

TEST_CASE("intrinsic errors pass through", "[payload_template]") {
  try {
    (void)apply_template(json{{"x.$", "States.ArrayGetItem($.items, 5)"}});
    FAIL("expected IntrinsicFailure");
  } catch (const StatesError& e) {
    CHECK(e.error() == "States.IntrinsicFailure");
  }
  try {
    (void)apply_template(json{{"x.$", "States.Format('{}', $.missing)"}});
    FAIL("expected States.Runtime");
  } catch (const StatesError& e) {
    CHECK(e.error() == "States.Runtime");
  }
}

TEST_CASE("malformed dynamic values are runtime errors", "[payload_template]") {
  for (const json& value : {json(5), json("not a path"), json("$.a["), json::object()}) {
    INFO(value.dump());
    try {
      (void)apply_template(json{{"x.$", value}});
      FAIL("expected States.Runtime");
    } catch (const StatesError& e) {
      CHECK(e.error() == "States.Runtime");
    }
  }
}

TEST_CASE("the same template evaluates against changing inputs", "[payload_template]") {
  const json payload = {{"v.$", "$.v"}};
  for (int i = 0; i < 3; ++i) CHECK(apply_template(payload, json{{"v", i}}) == json{{"v", i}});
}
