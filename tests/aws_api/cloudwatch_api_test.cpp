// CloudWatchApi against the fake: alarm states through DescribeAlarms (AWS JSON 1.0).
#include "loveless/aws_api/cloudwatch_api.hpp"

#include <catch2/catch.hpp>

#include "fake_clients.hpp"

using namespace loveless;
using loveless::testing::fake_client;
using loveless::testing::FakeAwsControlPlane;

TEST_CASE("alarm_states reads the named alarms and skips unknown names", "[aws_api][cloudwatch]") {
  auto options = testing::fast_fake_options();
  options.page_size = 1;
  FakeAwsControlPlane fake(options);
  const std::string arn = fake.set_alarm_state("errors", "ALARM");
  fake.set_alarm_state("latency", "OK");
  fake.set_alarm_state("unrelated", "ALARM");
  aws_api::CloudWatchApi cloudwatch(fake_client(fake, aws::kCloudWatch));

  const auto states = cloudwatch.alarm_states({"errors", "latency", "missing"});
  REQUIRE(states.size() == 2);
  CHECK(states[0].name == "errors");
  CHECK(states[0].arn == arn);
  CHECK(states[0].state == "ALARM");
  CHECK(states[1].name == "latency");
  CHECK(states[1].state == "OK");
  const auto calls = fake.requests_for("DescribeAlarms");
  REQUIRE(calls.size() == 2);  // one page per alarm: NextToken followed
  CHECK(calls[0].service == "monitoring");
  CHECK(calls[0].body["AlarmNames"] == nlohmann::json::array({"errors", "latency", "missing"}));
  CHECK(calls[1].body["NextToken"] == "1");
}
