#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

namespace {

enum class Kind { kString, kInteger, kBoolean, kList, kStructure };

struct Member {
  const char* operation;
  const char* name;
  Kind kind;
};

// Every top-level member of every operation, with its type in the Step
// Functions service model (botocore stepfunctions/2016-11-23).
const std::vector<Member>& members() {
  static const std::vector<Member> all = {
      {"CreateStateMachine", "name", Kind::kString},
      {"CreateStateMachine", "definition", Kind::kString},
      {"CreateStateMachine", "roleArn", Kind::kString},
      {"CreateStateMachine", "type", Kind::kString},
      {"CreateStateMachine", "loggingConfiguration", Kind::kStructure},
      {"CreateStateMachine", "tags", Kind::kList},
      {"CreateStateMachine", "tracingConfiguration", Kind::kStructure},
      {"CreateStateMachine", "publish", Kind::kBoolean},
      {"DescribeStateMachine", "stateMachineArn", Kind::kString},
      {"ListStateMachines", "maxResults", Kind::kInteger},
      {"ListStateMachines", "nextToken", Kind::kString},
      {"UpdateStateMachine", "stateMachineArn", Kind::kString},
      {"UpdateStateMachine", "definition", Kind::kString},
      {"UpdateStateMachine", "roleArn", Kind::kString},
      {"UpdateStateMachine", "loggingConfiguration", Kind::kStructure},
      {"UpdateStateMachine", "tracingConfiguration", Kind::kStructure},
      {"DeleteStateMachine", "stateMachineArn", Kind::kString},
      {"DescribeStateMachineForExecution", "executionArn", Kind::kString},
      {"ValidateStateMachineDefinition", "definition", Kind::kString},
      {"ValidateStateMachineDefinition", "type", Kind::kString},
      {"ValidateStateMachineDefinition", "severity", Kind::kString},
      {"ValidateStateMachineDefinition", "maxResults", Kind::kInteger},
      {"StartExecution", "stateMachineArn", Kind::kString},
      {"StartExecution", "name", Kind::kString},
      {"StartExecution", "input", Kind::kString},
      {"StartExecution", "traceHeader", Kind::kString},
      {"StartSyncExecution", "stateMachineArn", Kind::kString},
      {"StartSyncExecution", "name", Kind::kString},
      {"StartSyncExecution", "input", Kind::kString},
      {"DescribeExecution", "executionArn", Kind::kString},
      {"StopExecution", "executionArn", Kind::kString},
      {"StopExecution", "error", Kind::kString},
      {"StopExecution", "cause", Kind::kString},
      {"ListExecutions", "stateMachineArn", Kind::kString},
      {"ListExecutions", "statusFilter", Kind::kString},
      {"ListExecutions", "maxResults", Kind::kInteger},
      {"ListExecutions", "nextToken", Kind::kString},
      {"GetExecutionHistory", "executionArn", Kind::kString},
      {"GetExecutionHistory", "maxResults", Kind::kInteger},
      {"GetExecutionHistory", "reverseOrder", Kind::kBoolean},
      {"GetExecutionHistory", "nextToken", Kind::kString},
      {"GetExecutionHistory", "includeExecutionData", Kind::kBoolean},
      {"CreateActivity", "name", Kind::kString},
      {"CreateActivity", "tags", Kind::kList},
      {"DescribeActivity", "activityArn", Kind::kString},
      {"ListActivities", "maxResults", Kind::kInteger},
      {"ListActivities", "nextToken", Kind::kString},
      {"DeleteActivity", "activityArn", Kind::kString},
      {"GetActivityTask", "activityArn", Kind::kString},
      {"GetActivityTask", "workerName", Kind::kString},
      {"SendTaskSuccess", "taskToken", Kind::kString},
      {"SendTaskSuccess", "output", Kind::kString},
      {"SendTaskFailure", "taskToken", Kind::kString},
      {"SendTaskFailure", "error", Kind::kString},
      {"SendTaskFailure", "cause", Kind::kString},
      {"SendTaskHeartbeat", "taskToken", Kind::kString},
      {"TagResource", "resourceArn", Kind::kString},
      {"TagResource", "tags", Kind::kList},
      {"UntagResource", "resourceArn", Kind::kString},
      {"UntagResource", "tagKeys", Kind::kList},
      {"ListTagsForResource", "resourceArn", Kind::kString},
  };
  return all;
}

// AWS's (Coral's) message for `value` where `kind` is modelled; empty when it fits.
std::string expected_message(Kind kind, const nlohmann::json& value) {
  const std::string scalar = value.is_string() ? "STRING_VALUE"
                             : value.is_boolean()
                                 ? (value.get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE")
                                 : "NUMBER_VALUE";
  const std::string list = "Start of list found where not expected";
  const std::string map = "Start of structure or map found where not expected.";
  switch (kind) {
    case Kind::kString:
      if (value.is_string()) return "";
      return value.is_array()    ? list
             : value.is_object() ? map
                                 : scalar + " can not be converted to a String";
    case Kind::kInteger:
      if (value.is_number()) return "";
      return value.is_array()    ? list
             : value.is_object() ? map
                                 : scalar + " can not be converted to an Integer";
    case Kind::kBoolean:
      if (value.is_boolean()) return "";
      return value.is_array()    ? list
             : value.is_object() ? map
                                 : scalar + " can not be converted to an Boolean";
    case Kind::kList:
      if (value.is_array()) return "";
      return value.is_object() ? map : "Expected list or null";
    case Kind::kStructure:
      if (value.is_object()) return "";
      return value.is_array() ? list : "Expected null";
  }
  return "";
}

}  // namespace

TEST_CASE("A member of the wrong JSON type answers ValidationException, in every operation",
          "[engine][request-types]") {
  ServiceFixture f;
  const std::vector<nlohmann::json> values = {
      5, 2.5, "x", true, false, nlohmann::json::object(), nlohmann::json::array()};
  int checked = 0;
  for (const auto& member : members()) {
    for (const auto& value : values) {
      const auto expected = expected_message(member.kind, value);
      if (expected.empty()) continue;
      INFO(member.operation << " " << member.name << " = " << value.dump());
      const auto error = service_error([&] { f.call(member.operation, {{member.name, value}}); });
      CHECK(error.type() == "ValidationException");
      CHECK(error.message() == expected);
      ++checked;
    }
  }
  CHECK(checked > 300);
}

TEST_CASE("Members inside lists and structures are type-checked too", "[engine][request-types]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  const auto message = [&](std::string_view operation, const nlohmann::json& request) {
    const auto error = service_error([&] { f.call(operation, request); });
    CHECK(error.type() == "ValidationException");
    return error.message();
  };
  CHECK(message("TagResource", {{"resourceArn", sm}, {"tags", {{{"key", 5}, {"value", "v"}}}}}) ==
        "NUMBER_VALUE can not be converted to a String");
  CHECK(message("TagResource", {{"resourceArn", sm}, {"tags", {"key1"}}}) == "Expected null");
  CHECK(message("UntagResource", {{"resourceArn", sm}, {"tagKeys", {"a", true}}}) ==
        "TRUE_VALUE can not be converted to a String");
  CHECK(message("UpdateStateMachine",
                {{"stateMachineArn", sm}, {"loggingConfiguration", {{"level", 3}}}}) ==
        "NUMBER_VALUE can not be converted to a String");
  CHECK(message("UpdateStateMachine",
                {{"stateMachineArn", sm}, {"tracingConfiguration", {{"enabled", "yes"}}}}) ==
        "STRING_VALUE can not be converted to an Boolean");
  CHECK(message("UpdateStateMachine",
                {{"stateMachineArn", sm},
                 {"loggingConfiguration",
                  {{"destinations", {{{"cloudWatchLogsLogGroup", {{"logGroupArn", 1}}}}}}}}}) ==
        "NUMBER_VALUE can not be converted to a String");
}

TEST_CASE("Null members count as absent and unknown members are ignored",
          "[engine][request-types]") {
  ServiceFixture f;
  // A null optional member is no member (AWS's deserializer reads it so).
  CHECK(f.call("ListActivities", {{"maxResults", nullptr}, {"nextToken", nullptr}})["activities"]
            .empty());
  CHECK(f.call("ListActivities", {{"colour", 5}})["activities"].empty());
  // A number with a fraction is truncated where an Integer is modelled.
  f.create_activity("a");
  f.create_activity("b");
  CHECK(f.call("ListActivities", {{"maxResults", 1.9}})["activities"].size() == 1);
  // A null required member is missing.
  CHECK(service_error([&] {
          f.call("DescribeActivity", {{"activityArn", nullptr}});
        }).type() == "ValidationException");
}

TEST_CASE("An Integer beyond 32 bits is refused, never wrapped", "[engine][request-types]") {
  ServiceFixture f;
  // 2^64 and 1e20 once came back as maxResults -9223372036854775808.
  for (const auto& value : {nlohmann::json(18446744073709551615ULL), nlohmann::json(1e20),
                            nlohmann::json(2147483648LL), nlohmann::json(-2147483649LL)}) {
    INFO(value.dump());
    const auto error = service_error([&] { f.call("ListActivities", {{"maxResults", value}}); });
    CHECK(error.type() == "ValidationException");
    CHECK(error.message() ==
          "Numeric value (" + value.dump() + ") out of range of int (-2147483648 - 2147483647)");
  }
  CHECK(f.call("ListActivities", {{"maxResults", 1000}})["activities"].empty());
}

TEST_CASE("traceHeader and encryptionConfiguration.type are checked as AWS models them",
          "[engine][request-types]") {
  ServiceFixture f;
  const auto arn =
      f.create_state_machine("m", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
  const auto start = [&](const std::string& header) {
    return f.call("StartExecution", {{"stateMachineArn", arn}, {"traceHeader", header}});
  };
  CHECK(start(std::string(256, 'x')).contains("executionArn"));
  auto error = service_error([&] { start(std::string(257, 'x')); });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message().find("Member must have length less than or equal to 256") !=
        std::string::npos);
  error = service_error([&] { start("Root=1-\xc3\xa9"); });
  CHECK(error.message().find("\\p{ASCII}*") != std::string::npos);

  error = service_error([&] {
    f.call("CreateActivity", {{"name", "a"}, {"encryptionConfiguration", {{"type", "BOGUS"}}}});
  });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message().find("[CUSTOMER_MANAGED_KMS_KEY, AWS_OWNED_KEY]") != std::string::npos);
  CHECK(f.call("CreateActivity",
               {{"name", "b"}, {"encryptionConfiguration", {{"type", "AWS_OWNED_KEY"}}}})
            .contains("activityArn"));
}
