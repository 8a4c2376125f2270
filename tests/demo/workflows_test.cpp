#include "loveless/demo/workflows.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/definition_substitutions.hpp"

namespace loveless::demo {
namespace {

const std::map<std::string, std::string> kArns = {
    {"SplitFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:split"},
    {"MergeFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:merge"},
    {"CountWordsActivityArn", "arn:aws:states:us-east-1:123456789012:activity:count-words"},
};

TEST_CASE("variants parse and print", "[demo][workflows]") {
  for (const auto variant :
       {Variant::kCorrect, Variant::kTmpHandoff, Variant::kGlobalState, Variant::kJsonata}) {
    CHECK(parse_variant(to_string(variant)) == variant);
  }
  CHECK_FALSE(parse_variant("wrong").has_value());
  CHECK(binding(Variant::kTmpHandoff).count_words_handler == "count-words-tmp-handoff");
  CHECK(binding(Variant::kGlobalState).merge_handler == "merge-global-state");
  CHECK(binding(Variant::kJsonata).merge_handler == "merge");
}

TEST_CASE("every variant's workflow is valid ASL once substituted", "[demo][workflows]") {
  for (const auto variant :
       {Variant::kCorrect, Variant::kTmpHandoff, Variant::kGlobalState, Variant::kJsonata}) {
    INFO(to_string(variant));
    const auto text = asl::substitute_placeholders(binding(variant).definition_template, kArns);
    CHECK(text.find("${") == std::string::npos);
    const auto definition = nlohmann::json::parse(text);
    CHECK(definition["States"]["Split"]["Resource"] == kArns.at("SplitFunctionArn"));
    CHECK_NOTHROW(asl::Definition::parse(text));
  }
}

TEST_CASE("a placeholder without a value is an error", "[demo][workflows]") {
  CHECK(asl::substitute_placeholders("a ${X} b ${X}", {{"X", "1"}}) == "a 1 b 1");
  CHECK_THROWS_AS(asl::substitute_placeholders("${Unknown}", kArns), std::invalid_argument);
  CHECK(asl::substitute_placeholders("no placeholders", {}) == "no placeholders");
}

}  // namespace
}  // namespace loveless::demo
