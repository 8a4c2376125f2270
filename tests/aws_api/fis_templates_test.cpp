// The FIS template builders give the action ids, parameters (strings) and
// targets of the AWS FIS Actions reference.
#include "loveless/aws_api/fis_templates.hpp"

#include <catch2/catch.hpp>

using namespace loveless::aws_api;

namespace {

FisTemplateCommon common(std::optional<std::string> alarm = {}) {
  return {"arn:aws:iam::123456789012:role/loveless-fis", "loveless delay", "run-42",
          std::move(alarm)};
}

}  // namespace

TEST_CASE("iso8601_duration writes FIS durations", "[aws_api][fis]") {
  CHECK(iso8601_duration(std::chrono::seconds(120)) == "PT2M");
  CHECK(iso8601_duration(std::chrono::seconds(45)) == "PT45S");
  CHECK(iso8601_duration(std::chrono::seconds(5400)) == "PT1H30M");
  CHECK(iso8601_duration(std::chrono::seconds(3661)) == "PT1H1M1S");
  CHECK(iso8601_duration(std::chrono::seconds(0)) == "PT0S");
}

TEST_CASE("the Lambda invocation delay template", "[aws_api][fis]") {
  const auto arn = "arn:aws:lambda:us-east-1:123456789012:function:resize";
  const auto body = lambda_invocation_delay_template(
      common(), {arn, std::chrono::seconds(120), 50, std::chrono::milliseconds(2500)});
  const auto& action = body["actions"]["LovelessFault"];
  CHECK(action["actionId"] == "aws:lambda:invocation-add-delay");
  CHECK(action["parameters"] == nlohmann::json{{"duration", "PT2M"},
                                               {"invocationPercentage", "50"},
                                               {"startupDelayMilliseconds", "2500"}});
  CHECK(action["targets"] == nlohmann::json{{"Functions", "LovelessTargets"}});
  const auto& target = body["targets"]["LovelessTargets"];
  CHECK(target["resourceType"] == "aws:lambda:function");
  CHECK(target["resourceArns"] == nlohmann::json::array({arn}));
  CHECK(target["selectionMode"] == "ALL");
  CHECK(body["roleArn"] == "arn:aws:iam::123456789012:role/loveless-fis");
  CHECK(body["tags"] == nlohmann::json{{"loveless:run", "run-42"}});
  CHECK(body["stopConditions"] == nlohmann::json::array({{{"source", "none"}}}));
  CHECK_FALSE(body.contains("clientToken"));
}

TEST_CASE("the Lambda invocation error template with an alarm stop condition", "[aws_api][fis]") {
  const auto alarm = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors";
  const auto body = lambda_invocation_error_template(
      common(alarm), {"arn:aws:lambda:us-east-1:123456789012:function:resize",
                      std::chrono::seconds(60), 100, false});
  const auto& action = body["actions"]["LovelessFault"];
  CHECK(action["actionId"] == "aws:lambda:invocation-error");
  CHECK(action["parameters"]["preventExecution"] == "false");
  CHECK(action["parameters"]["duration"] == "PT1M");
  CHECK(body["stopConditions"] ==
        nlohmann::json::array({{{"source", "aws:cloudwatch:alarm"}, {"value", alarm}}}));
}

TEST_CASE("the ECS task network latency template targets a service's tasks", "[aws_api][fis]") {
  EcsNetworkLatencyFault fault;
  fault.cluster = "chaos";
  fault.service = "workers";
  fault.duration = std::chrono::seconds(300);
  fault.delay = std::chrono::milliseconds(400);
  const auto body = ecs_task_network_latency_template(common(), fault);
  const auto& action = body["actions"]["LovelessFault"];
  CHECK(action["actionId"] == "aws:ecs:task-network-latency");
  CHECK(action["parameters"] == nlohmann::json{{"duration", "PT5M"},
                                               {"delayMilliseconds", "400"},
                                               {"jitterMilliseconds", "10"},
                                               {"installDependencies", "true"}});
  CHECK(action["targets"] == nlohmann::json{{"Tasks", "LovelessTargets"}});
  CHECK(body["targets"]["LovelessTargets"] ==
        nlohmann::json{{"resourceType", "aws:ecs:task"},
                       {"parameters", {{"cluster", "chaos"}, {"service", "workers"}}},
                       {"selectionMode", "ALL"}});
}
