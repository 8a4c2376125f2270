#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

namespace {

const char* const kLogGroup = "arn:aws:logs:us-east-1:123456789012:log-group:orders:*";

nlohmann::json logging(const std::string& level, bool include_data, int destinations = 1) {
  nlohmann::json config = {{"level", level}, {"includeExecutionData", include_data}};
  config["destinations"] = nlohmann::json::array();
  for (int i = 0; i < destinations; ++i) {
    config["destinations"].push_back({{"cloudWatchLogsLogGroup", {{"logGroupArn", kLogGroup}}}});
  }
  return config;
}

nlohmann::json create_request(const std::string& name) {
  return {{"name", name}, {"definition", pass_definition()}, {"roleArn", kRoleArn}};
}

}  // namespace

TEST_CASE("DescribeStateMachine reports AWS's default logging and tracing",
          "[engine][state-machines][configuration]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  const auto described = f.call("DescribeStateMachine", {{"stateMachineArn", sm}});
  CHECK(described["loggingConfiguration"] ==
        nlohmann::json{{"level", "OFF"}, {"includeExecutionData", false}});
  CHECK(described["tracingConfiguration"] == nlohmann::json{{"enabled", false}});
  // No revision until the first update (test_sfn_api recordings).
  CHECK_FALSE(described.contains("revisionId"));
}

TEST_CASE("loggingConfiguration and tracingConfiguration are stored as given",
          "[engine][state-machines][configuration]") {
  ServiceFixture f;
  for (const auto* level : {"ALL", "ERROR", "FATAL", "OFF"}) {
    for (const bool include_data : {false, true}) {
      auto request = create_request(std::string("sm-") + level + (include_data ? "-data" : ""));
      request["loggingConfiguration"] = logging(level, include_data);
      request["tracingConfiguration"] = {{"enabled", true}};
      const auto sm = f.call("CreateStateMachine", request)["stateMachineArn"];
      const auto described = f.call("DescribeStateMachine", {{"stateMachineArn", sm}});
      CHECK(described["loggingConfiguration"] == logging(level, include_data));
      CHECK(described["tracingConfiguration"] == nlohmann::json{{"enabled", true}});
    }
  }
  // Incomplete configurations take the defaults; an empty destination list is echoed.
  auto request = create_request("bare");
  request["loggingConfiguration"] = nlohmann::json::object();
  auto sm = f.call("CreateStateMachine", request)["stateMachineArn"];
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm}})["loggingConfiguration"] ==
        nlohmann::json{{"level", "OFF"}, {"includeExecutionData", false}});
  request = create_request("empty-destinations");
  request["loggingConfiguration"] = {{"destinations", nlohmann::json::array()}};
  sm = f.call("CreateStateMachine", request)["stateMachineArn"];
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm}})["loggingConfiguration"] ==
        nlohmann::json{{"level", "OFF"},
                       {"includeExecutionData", false},
                       {"destinations", nlohmann::json::array()}});
}

TEST_CASE("An invalid loggingConfiguration answers InvalidLoggingConfiguration",
          "[engine][state-machines][configuration]") {
  ServiceFixture f;
  const std::string exactly_one =
      "Invalid Logging Configuration: Must specify exactly one Log Destination.";
  for (const auto& config :
       {nlohmann::json{{"level", "ALL"}}, logging("ERROR", false, 0), logging("FATAL", true, 2)}) {
    auto request = create_request("bad");
    request["loggingConfiguration"] = config;
    INFO(config.dump());
    const auto error = service_error([&] { f.call("CreateStateMachine", request); });
    CHECK(error.type() == "InvalidLoggingConfiguration");
    CHECK(error.message() == exactly_one);
  }
  auto request = create_request("bad");
  request["loggingConfiguration"] = logging("ALL", false);
  request["loggingConfiguration"]["destinations"][0]["cloudWatchLogsLogGroup"]["logGroupArn"] =
      "arn:aws:logs:us-east-1:123456789012:log-group:orders";
  CHECK(service_error([&] { f.call("CreateStateMachine", request); }).message() ==
        "Invalid Logging Configuration: Log Destination not found.");
  request["loggingConfiguration"] = {{"level", "VERBOSE"}};
  CHECK(service_error([&] { f.call("CreateStateMachine", request); }).type() ==
        "ValidationException");
  // Nothing was created by the refused calls.
  CHECK(f.call("ListStateMachines", nlohmann::json::object())["stateMachines"].empty());
}

TEST_CASE("UpdateStateMachine changes logging and tracing and mints revision ids",
          "[engine][state-machines][configuration]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition());
  auto error = service_error([&] { f.call("UpdateStateMachine", {{"stateMachineArn", sm}}); });
  CHECK(error.type() == "MissingRequiredParameter");
  CHECK(error.message() ==
        "Either the definition, the role ARN, the LoggingConfiguration, or the "
        "TracingConfiguration must be specified");

  const auto first = f.call("UpdateStateMachine", {{"stateMachineArn", sm},
                                                   {"loggingConfiguration", logging("ALL", true)}});
  CHECK(first["updateDate"].is_number());
  const auto revision = first["revisionId"].get<std::string>();
  CHECK(revision.size() == 36);
  auto described = f.call("DescribeStateMachine", {{"stateMachineArn", sm}});
  CHECK(described["loggingConfiguration"] == logging("ALL", true));
  CHECK(described["revisionId"] == revision);

  // The same configuration again changes nothing and keeps the revision.
  const auto same = f.call("UpdateStateMachine", {{"stateMachineArn", sm},
                                                  {"loggingConfiguration", logging("ALL", true)}});
  CHECK(same["revisionId"] == revision);

  const auto traced = f.call("UpdateStateMachine", {{"stateMachineArn", sm},
                                                    {"tracingConfiguration", {{"enabled", true}}}});
  CHECK(traced["revisionId"] != revision);
  described = f.call("DescribeStateMachine", {{"stateMachineArn", sm}});
  CHECK(described["tracingConfiguration"]["enabled"] == true);
  CHECK(described["loggingConfiguration"] == logging("ALL", true));

  error = service_error([&] {
    f.call("UpdateStateMachine",
           {{"stateMachineArn", sm}, {"loggingConfiguration", logging("ALL", true, 2)}});
  });
  CHECK(error.type() == "InvalidLoggingConfiguration");
}

TEST_CASE("DescribeStateMachineForExecution answers the revision the execution ran",
          "[engine][state-machines][executions]") {
  ServiceFixture f;
  const auto sm = f.create_state_machine("orders", pass_definition(R"("first")"));
  const auto run = f.start(sm, "before-update");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));

  auto described = f.call("DescribeStateMachineForExecution", {{"executionArn", run}});
  CHECK(described["stateMachineArn"] == sm);
  CHECK(described["name"] == "orders");
  CHECK(described["definition"] == pass_definition(R"("first")"));
  CHECK(described["roleArn"] == kRoleArn);
  CHECK(described["updateDate"] ==
        f.call("DescribeStateMachine", {{"stateMachineArn", sm}})["creationDate"]);
  CHECK(described["loggingConfiguration"] ==
        nlohmann::json{{"level", "OFF"}, {"includeExecutionData", false}});
  CHECK(described["tracingConfiguration"] == nlohmann::json{{"enabled", false}});
  CHECK_FALSE(described.contains("revisionId"));

  const auto updated = f.call("UpdateStateMachine", {{"stateMachineArn", sm},
                                                     {"definition", pass_definition(R"("second")")},
                                                     {"roleArn", kRoleArn + std::string("-2")}});
  // The old execution still reports what it ran...
  described = f.call("DescribeStateMachineForExecution", {{"executionArn", run}});
  CHECK(described["definition"] == pass_definition(R"("first")"));
  CHECK(described["roleArn"] == kRoleArn);
  // ... and a new one the update.
  const auto after = f.start(sm, "after-update");
  described = f.call("DescribeStateMachineForExecution", {{"executionArn", after}});
  CHECK(described["definition"] == pass_definition(R"("second")"));
  CHECK(described["revisionId"] == updated["revisionId"]);
  CHECK(described["updateDate"] == updated["updateDate"]);

  // Even once the state machine is gone.
  f.call("DeleteStateMachine", {{"stateMachineArn", sm}});
  CHECK(f.call("DescribeStateMachineForExecution", {{"executionArn", run}})["name"] == "orders");

  const std::string missing = "arn:aws:states:us-east-1:123456789012:execution:orders:nope";
  const auto error = service_error([&] {
    f.call("DescribeStateMachineForExecution", {{"executionArn", missing}});
  });
  CHECK(error.type() == "ExecutionDoesNotExist");
  CHECK(service_error([&] {
          f.call("DescribeStateMachineForExecution", {{"executionArn", sm}});
        }).type() == "InvalidArn");
}
