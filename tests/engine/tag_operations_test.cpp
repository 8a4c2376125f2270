#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

namespace {

nlohmann::json tags_of(ServiceFixture& f, const std::string& arn) {
  return f.call("ListTagsForResource", {{"resourceArn", arn}})["tags"];
}

nlohmann::json tag(const std::string& key, const std::string& value) {
  return {{"key", key}, {"value", value}};
}

}  // namespace

TEST_CASE("TagResource, UntagResource and ListTagsForResource on a state machine",
          "[engine][tags]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  CHECK(tags_of(f, sm) == nlohmann::json::array());

  CHECK(f.call("TagResource",
               {{"resourceArn", sm}, {"tags", {tag("key1", "value1"), tag("key2", "value2")}}}) ==
        nlohmann::json::object());
  CHECK(tags_of(f, sm) == nlohmann::json{tag("key1", "value1"), tag("key2", "value2")});

  // A key given again keeps its place and takes the new value; an empty value is a value.
  f.call("TagResource", {{"resourceArn", sm}, {"tags", {tag("key1", "")}}});
  CHECK(tags_of(f, sm) == nlohmann::json{tag("key1", ""), tag("key2", "value2")});
  // No tags at all is accepted (test_sfn_api_tagging, tag_list0).
  f.call("TagResource", {{"resourceArn", sm}, {"tags", nlohmann::json::array()}});

  CHECK(f.call("UntagResource", {{"resourceArn", sm}, {"tagKeys", {"key1", "key1", "absent"}}}) ==
        nlohmann::json::object());
  CHECK(tags_of(f, sm) == nlohmann::json{tag("key2", "value2")});
  f.call("UntagResource", {{"resourceArn", sm}, {"tagKeys", nlohmann::json::array()}});
  CHECK(tags_of(f, sm).size() == 1);
}

TEST_CASE("CreateStateMachine and CreateActivity take tags", "[engine][tags]") {
  ServiceFixture f;
  const auto sm = f.call("CreateStateMachine", {{"name", "orders"},
                                                {"definition", pass_definition()},
                                                {"roleArn", kRoleArn},
                                                {"tags", {tag("team", "payments")}}})
                      .at("stateMachineArn")
                      .get<std::string>();
  CHECK(tags_of(f, sm) == nlohmann::json{tag("team", "payments")});
  const auto activity =
      f.call("CreateActivity", {{"name", "resize"}, {"tags", {tag("cost-centre", "42")}}})
          .at("activityArn")
          .get<std::string>();
  CHECK(tags_of(f, activity) == nlohmann::json{tag("cost-centre", "42")});

  // Deleting a resource forgets its tags: a new one of the same name starts bare.
  f.call("DeleteActivity", {{"activityArn", activity}});
  f.create_activity("resize");
  CHECK(tags_of(f, activity) == nlohmann::json::array());
}

TEST_CASE("Tagging answers AWS's errors", "[engine][tags]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());

  auto error = service_error([&] {
    f.call("TagResource", {{"resourceArn", sm}, {"tags", {tag("", "value")}}});
  });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message() ==
        "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1");
  error = service_error([&] {
    f.call("TagResource", {{"resourceArn", sm}, {"tags", {{{"key", "k"}, {"value", nullptr}}}}});
  });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message().find("'tags.1.member.value'") != std::string::npos);
  error = service_error([&] {
    f.call("TagResource", {{"resourceArn", sm}, {"tags", {tag("ok", "v"), tag("no#hash", "v")}}});
  });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message().find("'tags.2.member.key'") != std::string::npos);
  CHECK(service_error([&] {
          f.call("TagResource", {{"resourceArn", sm}, {"tags", {tag(std::string(129, 'k'), "v")}}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("TagResource", {{"resourceArn", sm}, {"tags", {tag("k", std::string(257, 'v'))}}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("TagResource", {{"resourceArn", sm}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("UntagResource", {{"resourceArn", sm}});
        }).type() == "ValidationException");
  // Nothing was added by the refused calls.
  CHECK(tags_of(f, sm) == nlohmann::json::array());

  const std::string missing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing";
  error = service_error([&] {
    f.call("TagResource", {{"resourceArn", missing}, {"tags", {tag("k", "v")}}});
  });
  CHECK(error.type() == "ResourceNotFound");
  CHECK(error.message() == "Resource not found: '" + missing + "'");
  // A version ARN is a Step Functions ARN of nothing taggable here (AWS: ResourceNotFound).
  CHECK(service_error([&] {
          f.call("ListTagsForResource", {{"resourceArn", sm + ":1"}});
        }).type() == "ResourceNotFound");
  CHECK(service_error([&] {
          f.call("UntagResource", {{"resourceArn", "not-an-arn"}, {"tagKeys", {"k"}}});
        }).type() == "InvalidArn");
}

TEST_CASE("A resource carries at most 50 tags (TooManyTags)", "[engine][tags]") {
  ServiceFixture f;
  const auto activity = f.create_activity("busy");
  nlohmann::json fifty = nlohmann::json::array();
  for (int i = 0; i < 50; ++i) fifty.push_back(tag("k" + std::to_string(i), "v"));
  f.call("TagResource", {{"resourceArn", activity}, {"tags", fifty}});
  // Re-tagging existing keys is no new tag.
  f.call("TagResource", {{"resourceArn", activity}, {"tags", {tag("k0", "w")}}});
  const auto error = service_error([&] {
    f.call("TagResource", {{"resourceArn", activity}, {"tags", {tag("k50", "v")}}});
  });
  CHECK(error.type() == "TooManyTags");
  CHECK(tags_of(f, activity).size() == 50);
  CHECK(tags_of(f, activity)[0] == tag("k0", "w"));
}
