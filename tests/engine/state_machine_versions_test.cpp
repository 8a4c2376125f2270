// State machine versions and aliases, against what the test_sfn_api_versioning
// and test_sfn_api_aliasing recordings (localstack/localstack) show AWS doing.
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

namespace {

std::string commented_pass(const std::string& comment) {
  return R"({"Comment": ")" + comment +
         R"(", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
}

nlohmann::json route(const std::string& version_arn, int weight) {
  return {{"stateMachineVersionArn", version_arn}, {"weight", weight}};
}

std::string create_published(ServiceFixture& f, const std::string& name,
                             const std::string& definition) {
  const auto created = f.call(
      "CreateStateMachine",
      {{"name", name}, {"definition", definition}, {"roleArn", kRoleArn}, {"publish", true}});
  return created["stateMachineVersionArn"].get<std::string>();
}

std::string update_published(ServiceFixture& f, const std::string& sm,
                             const std::string& definition) {
  return f
      .call("UpdateStateMachine", {{"stateMachineArn", sm},
                                   {"definition", definition},
                                   {"publish", true}})["stateMachineVersionArn"]
      .get<std::string>();
}

/// The state machine ARN of a version ARN (`...:stateMachine:orders:1`).
std::string state_machine_of(const std::string& version_arn) {
  return version_arn.substr(0, version_arn.rfind(':'));
}

std::vector<std::string> version_arns(ServiceFixture& f, const std::string& sm) {
  std::vector<std::string> arns;
  const auto listed = f.call("ListStateMachineVersions", {{"stateMachineArn", sm}});
  for (const auto& item : listed["stateMachineVersions"]) {
    arns.push_back(item["stateMachineVersionArn"].get<std::string>());
  }
  return arns;
}

}  // namespace

TEST_CASE("publish on CreateStateMachine and UpdateStateMachine numbers versions from 1",
          "[engine][versions]") {
  ServiceFixture f;
  const auto v1 = create_published(f, "orders", commented_pass("R1"));
  const std::string sm = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";
  CHECK(v1 == sm + ":1");

  const auto version = f.call("DescribeStateMachine", {{"stateMachineArn", v1}});
  CHECK(version["stateMachineArn"] == v1);
  CHECK(version["name"] == "orders");
  CHECK(version["definition"] == commented_pass("R1"));
  CHECK_FALSE(version.contains("description"));
  CHECK_FALSE(version.contains("revisionId"));

  const auto v2 = update_published(f, sm, commented_pass("R2"));
  CHECK(v2 == sm + ":2");
  CHECK(version_arns(f, sm) == std::vector<std::string>{v2, v1});
  // Each version keeps its own definition.
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", v1}})["definition"] ==
        commented_pass("R1"));
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", v2}})["definition"] ==
        commented_pass("R2"));
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", v2}}).contains("revisionId"));

  const auto error = service_error([&] {
    f.call("DescribeStateMachine", {{"stateMachineArn", sm + ":3"}});
  });
  CHECK(error.type() == "StateMachineDoesNotExist");
  CHECK(error.message() == "State Machine Does Not Exist: '" + sm + ":3'");
}

TEST_CASE("a version description needs publish", "[engine][versions]") {
  ServiceFixture f;
  const auto error = service_error([&] {
    f.call("CreateStateMachine", {{"name", "orders"},
                                  {"definition", pass_definition()},
                                  {"roleArn", kRoleArn},
                                  {"versionDescription", "first"}});
  });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message() == "Version description can only be set when publish is true");

  const auto v1 = f.call("CreateStateMachine",
                         {{"name", "orders"},
                          {"definition", pass_definition()},
                          {"roleArn", kRoleArn},
                          {"publish", true},
                          {"versionDescription", "HelloWorld!"}})["stateMachineVersionArn"]
                      .get<std::string>();
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", v1}})["description"] == "HelloWorld!");
}

TEST_CASE("PublishStateMachineVersion is idempotent per revision and checks revisionId",
          "[engine][versions]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", commented_pass("R0"));
  const auto r1 = f.call("UpdateStateMachine", {{"stateMachineArn", sm},
                                                {"definition", commented_pass("R1")}})["revisionId"]
                      .get<std::string>();
  const auto first = f.call("PublishStateMachineVersion", {{"stateMachineArn", sm}});
  const auto again = f.call("PublishStateMachineVersion", {{"stateMachineArn", sm}});
  CHECK(first["stateMachineVersionArn"] == sm + ":1");
  CHECK(again["stateMachineVersionArn"] == sm + ":1");
  CHECK(version_arns(f, sm).size() == 1);
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm + ":1"}})["revisionId"] == r1);

  const auto r2 = f.call("UpdateStateMachine", {{"stateMachineArn", sm},
                                                {"definition", commented_pass("R2")}})["revisionId"]
                      .get<std::string>();
  const auto v2 = f.call(
      "PublishStateMachineVersion",
      {{"stateMachineArn", sm}, {"revisionId", r2}, {"description", "PublishedV2Description"}});
  CHECK(v2["stateMachineVersionArn"] == sm + ":2");
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm + ":2"}})["description"] ==
        "PublishedV2Description");

  const auto r3 = f.call("UpdateStateMachine", {{"stateMachineArn", sm},
                                                {"definition", commented_pass("R3")}})["revisionId"]
                      .get<std::string>();
  const auto stale = service_error([&] {
    f.call("PublishStateMachineVersion", {{"stateMachineArn", sm}, {"revisionId", r2}});
  });
  CHECK(stale.type() == "ConflictException");
  CHECK(stale.message() == "Failed to publish the State Machine version for revision " + r2 +
                               ". The current State Machine revision is " + r3 + ".");

  const auto missing = service_error([&] {
    f.call("PublishStateMachineVersion", {{"stateMachineArn", sm + "-gone"}});
  });
  CHECK(missing.type() == "StateMachineDoesNotExist");
  const auto invalid = service_error([&] {
    f.call("PublishStateMachineVersion", {{"stateMachineArn", "invalid_arn"}});
  });
  CHECK(invalid.type() == "InvalidArn");
  CHECK(invalid.message() == "Invalid Arn: 'Invalid ARN prefix: invalid_arn'");
}

TEST_CASE(
    "an unchanged update with publish publishes the creation revision once, without a "
    "revisionId",
    "[engine][versions]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  const auto first =
      f.call("UpdateStateMachine",
             {{"stateMachineArn", sm}, {"definition", pass_definition()}, {"publish", true}});
  const auto second =
      f.call("UpdateStateMachine",
             {{"stateMachineArn", sm}, {"definition", pass_definition()}, {"publish", true}});
  CHECK(first["stateMachineVersionArn"] == sm + ":1");
  CHECK(second["stateMachineVersionArn"] == sm + ":1");
  CHECK_FALSE(first.contains("revisionId"));
  CHECK_FALSE(second.contains("revisionId"));
}

TEST_CASE("version numbers are not reused after a deletion, and deleting is idempotent",
          "[engine][versions]") {
  ServiceFixture f;
  const auto v1 = create_published(f, "orders", commented_pass("R1"));
  const auto sm = state_machine_of(v1);
  const auto v2 = update_published(f, sm, commented_pass("R2"));
  CHECK(f.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", v2}}).empty());
  CHECK(f.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", v2}}).empty());
  CHECK(version_arns(f, sm) == std::vector<std::string>{v1});
  CHECK(update_published(f, sm, commented_pass("R3")) == sm + ":3");
  const auto error = service_error([&] {
    f.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", sm}});
  });
  CHECK(error.type() == "InvalidArn");
}

TEST_CASE("ListStateMachineVersions pages newest first", "[engine][versions]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", commented_pass("R0"));
  for (int i = 1; i <= 5; ++i) update_published(f, sm, commented_pass("R" + std::to_string(i)));
  std::vector<std::string> seen;
  nlohmann::json request = {{"stateMachineArn", sm}, {"maxResults", 2}};
  for (int page = 0; page < 5; ++page) {
    const auto response = f.call("ListStateMachineVersions", request);
    for (const auto& item : response["stateMachineVersions"]) {
      seen.push_back(item["stateMachineVersionArn"].get<std::string>());
    }
    if (!response.contains("nextToken")) break;
    request["nextToken"] = response["nextToken"];
  }
  CHECK(seen == std::vector<std::string>{sm + ":5", sm + ":4", sm + ":3", sm + ":2", sm + ":1"});
  const auto error = service_error([&] {
    f.call("ListStateMachineVersions", {{"stateMachineArn", sm}, {"maxResults", 1001}});
  });
  CHECK(error.message() ==
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000");
}

TEST_CASE("an execution started through a version runs that version and names it",
          "[engine][versions]") {
  ServiceFixture f;
  const auto v1 = create_published(
      f, "orders",
      R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "v1", "End": true}}})");
  const auto sm = state_machine_of(v1);
  f.call(
      "UpdateStateMachine",
      {{"stateMachineArn", sm},
       {"definition",
        R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "latest", "End": true}}})"}});

  const auto through_version = f.start(v1, "through-version");
  const auto unqualified = f.start(sm, "unqualified");
  REQUIRE(f.wait_for_status(through_version, "SUCCEEDED"));
  REQUIRE(f.wait_for_status(unqualified, "SUCCEEDED"));
  CHECK(through_version ==
        "arn:aws:states:us-east-1:123456789012:execution:orders:through-version");
  const auto described = f.describe(through_version);
  CHECK(described["output"] == R"("v1")");
  CHECK(described["stateMachineArn"] == sm);
  CHECK(described["stateMachineVersionArn"] == v1);
  CHECK_FALSE(described.contains("stateMachineAliasArn"));
  CHECK(f.describe(unqualified)["output"] == R"("latest")");
  CHECK_FALSE(f.describe(unqualified).contains("stateMachineVersionArn"));

  const auto by_version = f.call("ListExecutions", {{"stateMachineArn", v1}})["executions"];
  REQUIRE(by_version.size() == 1);
  CHECK(by_version[0]["executionArn"] == through_version);
  CHECK(by_version[0]["stateMachineVersionArn"] == v1);
  CHECK(f.call("ListExecutions", {{"stateMachineArn", sm}})["executions"].size() == 2);
}

TEST_CASE("an alias routes executions to its versions by weight", "[engine][aliases]") {
  ServiceFixture f;
  const auto v1 = create_published(
      f, "orders",
      R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}})");
  const auto sm = state_machine_of(v1);
  const auto v2 = update_published(
      f, sm, R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}})");
  const auto created = f.call("CreateStateMachineAlias",
                              {{"name", "PROD"},
                               {"description", "production"},
                               {"routingConfiguration", nlohmann::json::array({route(v1, 100)})}});
  const auto alias = created["stateMachineAliasArn"].get<std::string>();
  CHECK(alias == sm + ":PROD");

  const auto execution = f.start(alias, "through-alias");
  REQUIRE(f.wait_for_status(execution, "SUCCEEDED"));
  const auto described = f.describe(execution);
  CHECK(described["output"] == "1");
  CHECK(described["stateMachineAliasArn"] == alias);
  CHECK(described["stateMachineVersionArn"] == v1);

  f.call("UpdateStateMachineAlias",
         {{"stateMachineAliasArn", alias},
          {"routingConfiguration", nlohmann::json::array({route(v1, 50), route(v2, 50)})}});
  const auto alias_described =
      f.call("DescribeStateMachineAlias", {{"stateMachineAliasArn", alias}});
  CHECK(alias_described["name"] == "PROD");
  CHECK(alias_described["description"] == "production");
  CHECK(alias_described["routingConfiguration"] ==
        nlohmann::json::array({route(v1, 50), route(v2, 50)}));

  // Both versions get executions under a 50/50 split (40 draws: each side
  // misses with probability 2^-40).
  std::set<std::string> outputs;
  for (int i = 0; i < 40; ++i) {
    const auto arn = f.start(alias, "split-" + std::to_string(i));
    REQUIRE(f.wait_for_status(arn, "SUCCEEDED"));
    outputs.insert(f.describe(arn)["output"].get<std::string>());
  }
  CHECK(outputs == std::set<std::string>{"1", "2"});
  CHECK(f.call("ListExecutions", {{"stateMachineArn", alias}})["executions"].size() == 41);
}

TEST_CASE("alias create is idempotent, and a version an alias routes to cannot be deleted",
          "[engine][aliases]") {
  ServiceFixture f;
  const auto v1 = create_published(f, "orders", commented_pass("R1"));
  const auto sm = state_machine_of(v1);
  const nlohmann::json request = {
      {"name", "live"}, {"routingConfiguration", nlohmann::json::array({route(v1, 100)})}};
  const auto first = f.call("CreateStateMachineAlias", request);
  const auto again = f.call("CreateStateMachineAlias", request);
  CHECK(first == again);
  auto different = request;
  different["description"] = "other";
  const auto conflict = service_error([&] { f.call("CreateStateMachineAlias", different); });
  CHECK(conflict.type() == "ConflictException");
  CHECK(conflict.message() ==
        "Failed to create alias because an alias with the same name and a different routing "
        "configuration already exists.");

  const auto referenced = service_error([&] {
    f.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", v1}});
  });
  CHECK(referenced.type() == "ConflictException");
  CHECK(referenced.message() ==
        "Version to be deleted must not be referenced by an alias. Current list of aliases "
        "referencing this version: [live]");

  const auto listed = f.call("ListStateMachineAliases", {{"stateMachineArn", sm}});
  REQUIRE(listed["stateMachineAliases"].size() == 1);
  CHECK(listed["stateMachineAliases"][0]["stateMachineAliasArn"] == sm + ":live");
  CHECK(f.call("DeleteStateMachineAlias", {{"stateMachineAliasArn", sm + ":live"}}).empty());
  CHECK(f.call("DeleteStateMachineAlias", {{"stateMachineAliasArn", sm + ":live"}}).empty());
  CHECK(
      f.call("ListStateMachineAliases", {{"stateMachineArn", sm}})["stateMachineAliases"].empty());
  CHECK(f.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", v1}}).empty());

  const auto gone = service_error([&] {
    f.call("UpdateStateMachineAlias",
           {{"stateMachineAliasArn", sm + ":live"}, {"description", "x"}});
  });
  CHECK(gone.type() == "ResourceNotFound");
  CHECK(gone.message() == "Request references a resource that does not exist.");
}

TEST_CASE("alias names and routing configurations are validated in AWS's words",
          "[engine][aliases]") {
  ServiceFixture f;
  const auto v1 = create_published(f, "orders", commented_pass("R1"));
  const auto sm = state_machine_of(v1);
  const auto v2 = update_published(f, sm, commented_pass("R2"));
  const auto v3 = update_published(f, sm, commented_pass("R3"));
  // A vector, not a json: `{route(...)}` as a json would copy the one object.
  const auto create = [&](const std::string& name, const std::vector<nlohmann::json>& routing) {
    return service_error([&] {
      f.call("CreateStateMachineAlias",
             {{"name", name}, {"routingConfiguration", nlohmann::json(routing)}});
    });
  };
  const std::string pattern = R"(^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$)";
  for (const std::string bad : {"123", "INVALID ALIAS", "!INVALID", "ALIAS@"}) {
    CAPTURE(bad);
    const auto error = create(bad, {route(v1, 100)});
    CHECK(error.message() == "1 validation error detected: Value '" + bad +
                                 "' at 'name' failed to satisfy constraint: Member must satisfy "
                                 "regular expression pattern: " +
                                 pattern);
  }
  const std::string long_name(81, 'A');
  CHECK(create(long_name, {route(v1, 100)}).message() ==
        "1 validation error detected: Value '" + long_name +
            "' at 'name' failed to satisfy constraint: Member must have length less than or equal "
            "to 80");
  CHECK(
      create("a", {route(v1, 50), route(v2, 30), route(v3, 20)}).message() ==
      "1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn=" +
          v1 + ", weight=50), RoutingConfigurationListItem(stateMachineVersionArn=" + v2 +
          ", weight=30), RoutingConfigurationListItem(stateMachineVersionArn=" + v3 +
          ", weight=20)]' at 'routingConfiguration' failed to satisfy constraint: Member must "
          "have length less than or equal to 2");
  CHECK(create("a", {route(v1, 50), route(v1, 50)}).message() ==
        "Routing configuration must contain distinct state machine version ARNs. Received: [" + v1 +
            ", " + v1 + "]");
  CHECK(create("a", {route(sm, 50), route(v2, 50)}).message() ==
        "Routing configuration must contain state machine version ARNs. Received: [" + sm + ", " +
            v2 + "]");
  CHECK(create("a", {route(v1, 70), route(v2, 101)}).message() ==
        "1 validation error detected: Value '101' at 'routingConfiguration.2.member.weight' failed "
        "to satisfy constraint: Member must have value less than or equal to 100");
  CHECK(create("a", {route(v1, 70), route(v2, 29)}).message() ==
        "Sum of routing configuration weights must equal 100. Received: [70, 29]");
  CHECK(create("a", {route(sm + ":9", 100)}).type() == "ResourceNotFound");
}

TEST_CASE("deleting a state machine deletes its versions and aliases", "[engine][aliases]") {
  ServiceFixture f;
  const auto v1 = create_published(f, "orders", commented_pass("R1"));
  const auto sm = state_machine_of(v1);
  f.call("CreateStateMachineAlias",
         {{"name", "live"}, {"routingConfiguration", nlohmann::json::array({route(v1, 100)})}});
  f.call("DeleteStateMachine", {{"stateMachineArn", sm}});
  CHECK(service_error([&] {
          f.call("DescribeStateMachine", {{"stateMachineArn", v1}});
        }).type() == "StateMachineDoesNotExist");
  CHECK(service_error([&] {
          f.call("DescribeStateMachineAlias", {{"stateMachineAliasArn", sm + ":live"}});
        }).type() == "ResourceNotFound");
  // A new state machine of the same name starts again from version 1.
  CHECK(create_published(f, "orders", commented_pass("R1")) == v1);
}
