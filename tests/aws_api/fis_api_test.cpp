// FisApi against the fake: the experiment lifecycle (create, start, running,
// completed; stop; a stop condition), template deletion, idempotency tokens.
#include "loveless/aws_api/fis_api.hpp"

#include <catch2/catch.hpp>

#include "loveless/aws_api/fis_templates.hpp"

#include "fake_clients.hpp"

using namespace loveless;
using loveless::testing::fake_client;
using loveless::testing::FakeAwsControlPlane;
using loveless::testing::kPoll;
using loveless::testing::kWait;

namespace {

std::set<std::string> final_statuses() { return {"completed", "stopped", "failed", "cancelled"}; }

nlohmann::json delay_template(const std::string& function_arn,
                              std::optional<std::string> alarm = {}) {
  return aws_api::lambda_invocation_delay_template(
      {"arn:aws:iam::123456789012:role/loveless-fis", "loveless delay", "run-1", std::move(alarm)},
      {function_arn, std::chrono::seconds(60), 100, std::chrono::milliseconds(1000)});
}

}  // namespace

TEST_CASE("an experiment goes initiating, running, completed", "[aws_api][fis]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn = fake.add_lambda_function("resize", {});
  aws_api::FisApi fis(fake_client(fake, aws::kFis));
  aws_api::AwsCallGuard guard({arn}, false, nullptr);

  const std::string template_id = fis.create_experiment_template(delay_template(arn), guard, arn);
  CHECK(template_id.rfind("EXT", 0) == 0);
  const auto created = fake.requests_for("CreateExperimentTemplate");
  REQUIRE(created.size() == 1);
  CHECK(created[0].body["clientToken"].get<std::string>().size() == 32);

  const std::string id = fis.start_experiment(template_id, guard, arn);
  const auto started = fis.get_experiment(id);
  CHECK(started.template_id == template_id);
  CHECK(started.status == "initiating");
  CHECK(fis.wait_for_status(id, {"running"}, kWait, kPoll).status == "running");
  const auto done = fis.wait_for_status(id, final_statuses(), kWait, kPoll);
  CHECK(done.status == "completed");

  fis.delete_experiment_template(template_id, guard, arn);
  CHECK(fake.experiment_template_count() == 0);
}

TEST_CASE("a stopped experiment goes stopping, then stopped", "[aws_api][fis]") {
  auto options = testing::fast_fake_options();
  options.experiment_time_scale = 1.0;  // PT1M: it runs until stopped
  FakeAwsControlPlane fake(options);
  const std::string arn = fake.add_lambda_function("resize", {});
  aws_api::FisApi fis(fake_client(fake, aws::kFis));
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  const std::string id = fis.start_experiment(
      fis.create_experiment_template(delay_template(arn), guard, arn), guard, arn);
  fis.wait_for_status(id, {"running"}, kWait, kPoll);
  fis.stop_experiment(id, guard, arn);
  CHECK(fis.get_experiment(id).status == "stopping");
  CHECK(fis.wait_for_status(id, final_statuses(), kWait, kPoll).status == "stopped");
  // A finished experiment cannot be stopped again.
  CHECK_THROWS_WITH(fis.stop_experiment(id, guard, arn), Catch::Contains("ValidationException"));
}

TEST_CASE("an alarm in ALARM stops an experiment that names it", "[aws_api][fis]") {
  auto options = testing::fast_fake_options();
  options.experiment_time_scale = 1.0;
  FakeAwsControlPlane fake(options);
  const std::string arn = fake.add_lambda_function("resize", {});
  const std::string alarm = fake.set_alarm_state("errors", "OK");
  aws_api::FisApi fis(fake_client(fake, aws::kFis));
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  const std::string id = fis.start_experiment(
      fis.create_experiment_template(delay_template(arn, alarm), guard, arn), guard, arn);
  fis.wait_for_status(id, {"running"}, kWait, kPoll);
  fake.set_alarm_state("errors", "ALARM");
  const auto stopped = fis.wait_for_status(id, final_statuses(), kWait, kPoll);
  CHECK(stopped.status == "stopped");
  CHECK(stopped.reason.find("stop condition") != std::string::npos);
}

TEST_CASE("the same template is created once and two starts are two experiments",
          "[aws_api][fis]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn = fake.add_lambda_function("resize", {});
  aws_api::FisApi fis(fake_client(fake, aws::kFis));
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  const auto first = fis.create_experiment_template(delay_template(arn), guard, arn);
  CHECK(fis.create_experiment_template(delay_template(arn), guard, arn) == first);
  CHECK(fake.experiment_template_count() == 1);
  CHECK(fis.start_experiment(first, guard, arn) != fis.start_experiment(first, guard, arn));
}

TEST_CASE("unknown experiments and templates are answered 404", "[aws_api][fis]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn = fake.add_lambda_function("resize", {});
  aws_api::FisApi fis(fake_client(fake, aws::kFis));
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  try {
    fis.get_experiment("EXPnope");
    FAIL("no error");
  } catch (const aws::AwsError& error) {
    CHECK(error.type() == "ResourceNotFoundException");
    CHECK(error.http_status() == 404);
  }
  CHECK_THROWS_WITH(fis.start_experiment("EXTnope", guard, arn),
                    Catch::Contains("ResourceNotFoundException"));
  CHECK_THROWS_WITH(fis.delete_experiment_template("EXTnope", guard, arn),
                    Catch::Contains("ResourceNotFoundException"));
}
