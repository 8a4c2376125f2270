#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

TEST_CASE("CreateStateMachine and DescribeStateMachine", "[engine][state-machines]") {
  ServiceFixture f;
  const auto created =
      f.call("CreateStateMachine",
             {{"name", "orders"}, {"definition", pass_definition()}, {"roleArn", kRoleArn}});
  CHECK(created["stateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:orders");
  CHECK(created["creationDate"].is_number_float());

  const auto described =
      f.call("DescribeStateMachine", {{"stateMachineArn", created["stateMachineArn"]}});
  CHECK(described["name"] == "orders");
  CHECK(described["status"] == "ACTIVE");
  CHECK(described["definition"] == pass_definition());
  CHECK(described["roleArn"] == kRoleArn);
  CHECK(described["type"] == "STANDARD");
  CHECK(described["creationDate"] == created["creationDate"]);
}

TEST_CASE("CreateStateMachine is idempotent for the same definition and role",
          "[engine][state-machines]") {
  ServiceFixture f;
  const nlohmann::json request = {
      {"name", "orders"}, {"definition", pass_definition()}, {"roleArn", kRoleArn}};
  const auto first = f.call("CreateStateMachine", request);
  const auto again = f.call("CreateStateMachine", request);
  CHECK(again == first);

  auto different = request;
  different["definition"] = pass_definition("2");
  const auto error = service_error([&] { f.call("CreateStateMachine", different); });
  CHECK(error.type() == "StateMachineAlreadyExists");
  CHECK(error.message().find(first["stateMachineArn"].get<std::string>()) != std::string::npos);

  auto other_role = request;
  other_role["roleArn"] = "arn:aws:iam::123456789012:role/other";
  CHECK(service_error([&] { f.call("CreateStateMachine", other_role); }).type() ==
        "StateMachineAlreadyExists");
}

TEST_CASE("CreateStateMachine rejects bad requests with the AWS errors",
          "[engine][state-machines]") {
  ServiceFixture f;
  const nlohmann::json good = {
      {"name", "orders"}, {"definition", pass_definition()}, {"roleArn", kRoleArn}};

  auto bad_definition = good;
  bad_definition["definition"] =
      R"({"StartAt": "Missing", "States": {"P": {"Type": "Pass", "End": true}}})";
  auto error = service_error([&] { f.call("CreateStateMachine", bad_definition); });
  CHECK(error.type() == "InvalidDefinition");
  CHECK(error.message().rfind("Invalid State Machine Definition: '", 0) == 0);
  CHECK(error.message().back() == '\'');

  bad_definition["definition"] = "{not json";
  CHECK(service_error([&] { f.call("CreateStateMachine", bad_definition); }).type() ==
        "InvalidDefinition");

  auto bad_name = good;
  bad_name["name"] = "has space";
  error = service_error([&] { f.call("CreateStateMachine", bad_name); });
  CHECK(error.type() == "InvalidName");
  CHECK(error.message() == "Invalid Name: 'has space'");

  auto bad_role = good;
  bad_role["roleArn"] = "role";
  CHECK(service_error([&] { f.call("CreateStateMachine", bad_role); }).type() == "InvalidArn");

  auto unknown_type = good;
  unknown_type["type"] = "TURBO";
  CHECK(service_error([&] { f.call("CreateStateMachine", unknown_type); }).type() ==
        "ValidationException");

  auto missing = good;
  missing.erase("definition");
  error = service_error([&] { f.call("CreateStateMachine", missing); });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message().find("definition") != std::string::npos);

  auto wrong_type = good;
  wrong_type["name"] = 7;
  error = service_error([&] { f.call("CreateStateMachine", wrong_type); });
  CHECK(error.type() == "ValidationException");
  CHECK(error.message() == "NUMBER_VALUE can not be converted to a String");
}

TEST_CASE("DescribeStateMachine errors", "[engine][state-machines]") {
  ServiceFixture f;
  auto error = service_error([&] {
    f.call("DescribeStateMachine",
           {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:nope"}});
  });
  CHECK(error.type() == "StateMachineDoesNotExist");
  CHECK(error.message() ==
        "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope'");
  error = service_error([&] {
    f.call("DescribeStateMachine",
           {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:activity:nope"}});
  });
  CHECK(error.type() == "InvalidArn");
  CHECK(service_error([&] { f.call("DescribeStateMachine", nlohmann::json::object()); }).type() ==
        "ValidationException");
}

TEST_CASE("ListStateMachines pages through every state machine",
          "[engine][state-machines][paging]") {
  ServiceFixture f;
  for (int i = 0; i < 5; ++i) f.create_state_machine("sm-" + std::to_string(i), pass_definition());
  std::vector<std::string> names;
  nlohmann::json request = {{"maxResults", 2}};
  int pages = 0;
  while (pages < 10) {
    const auto page = f.call("ListStateMachines", request);
    ++pages;
    CHECK(page["stateMachines"].size() <= 2);
    for (const auto& item : page["stateMachines"]) {
      CHECK(item["type"] == "STANDARD");
      CHECK(item.contains("creationDate"));
      names.push_back(item["name"]);
    }
    if (!page.contains("nextToken")) break;
    request["nextToken"] = page["nextToken"];
  }
  CHECK(pages == 3);
  CHECK(names == std::vector<std::string>{"sm-0", "sm-1", "sm-2", "sm-3", "sm-4"});
  CHECK(f.call("ListStateMachines", nlohmann::json::object())["stateMachines"].size() == 5);

  CHECK(service_error([&] {
          f.call("ListStateMachines", {{"nextToken", "garbage"}});
        }).type() == "InvalidToken");
  CHECK(service_error([&] {
          f.call("ListStateMachines", {{"maxResults", 1001}});
        }).type() == "ValidationException");
  CHECK(service_error([&] {
          f.call("ListStateMachines", {{"maxResults", -1}});
        }).type() == "ValidationException");
}

TEST_CASE("UpdateStateMachine: new executions use the new definition, running ones keep theirs",
          "[engine][state-machines]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  const auto old_run = f.start(sm, "old");

  const auto updated =
      f.call("UpdateStateMachine", {{"stateMachineArn", sm}, {"definition", pass_definition()}});
  CHECK(updated["updateDate"].is_number());
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm}})["definition"] ==
        pass_definition());

  const auto new_run = f.start(sm, "new");
  CHECK(f.status(new_run) == "SUCCEEDED");

  const auto task = f.poll(activity);
  REQUIRE(task);
  f.call("SendTaskSuccess", {{"taskToken", (*task)["taskToken"]}, {"output", R"({"ok": 1})"}});
  CHECK(f.status(old_run) == "SUCCEEDED");
  CHECK(f.describe(old_run)["output"] == R"({"ok":1})");

  CHECK(service_error([&] {
          f.call("UpdateStateMachine", {{"stateMachineArn", sm}});
        }).type() == "MissingRequiredParameter");
  CHECK(service_error([&] {
          f.call("UpdateStateMachine", {{"stateMachineArn", sm}, {"definition", "{}"}});
        }).type() == "InvalidDefinition");
  f.call("UpdateStateMachine",
         {{"stateMachineArn", sm}, {"roleArn", "arn:aws:iam::123456789012:role/other"}});
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm}})["roleArn"] ==
        "arn:aws:iam::123456789012:role/other");
}

TEST_CASE("DeleteStateMachine: DELETING while executions run, gone once they end",
          "[engine][state-machines]") {
  ServiceFixture f;
  const auto activity = f.create_activity("work");
  const auto sm = f.create_state_machine("orders", task_definition(activity));
  const auto run = f.start(sm, "running");
  f.call("DeleteStateMachine", {{"stateMachineArn", sm}});
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm}})["status"] == "DELETING");
  CHECK(service_error([&] { f.start(sm, "another"); }).type() == "StateMachineDeleting");

  f.call("StopExecution", {{"executionArn", run}});
  CHECK(service_error([&] {
          f.call("DescribeStateMachine", {{"stateMachineArn", sm}});
        }).type() == "StateMachineDoesNotExist");
  // Executions outlive their state machine for history queries.
  CHECK(f.status(run) == "ABORTED");

  const auto idle = f.create_state_machine("idle", pass_definition());
  f.call("DeleteStateMachine", {{"stateMachineArn", idle}});
  CHECK(service_error([&] {
          f.call("DescribeStateMachine", {{"stateMachineArn", idle}});
        }).type() == "StateMachineDoesNotExist");
  f.call("DeleteStateMachine", {{"stateMachineArn", idle}});  // deleting again succeeds
  CHECK(service_error([&] {
          f.call("DeleteStateMachine", {{"stateMachineArn", "x"}});
        }).type() == "InvalidArn");
}

TEST_CASE("invoke rejects unknown operations and non-object requests", "[engine]") {
  ServiceFixture f;
  auto error = service_error([&] { f.call("FlyToTheMoon", nlohmann::json::object()); });
  CHECK(error.type() == "UnknownOperationException");
  CHECK(service_error([&] { f.call("ListStateMachines", nlohmann::json::array()); }).type() ==
        "SerializationException");
  CHECK(f.call("ListStateMachines", nullptr)["stateMachines"].empty());
}
