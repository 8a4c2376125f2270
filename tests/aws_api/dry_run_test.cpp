// A dry run prints every mutating call it would make, in a stable form, and
// sends none of them (read-only calls still go out: they change nothing and
// give the exact requests to print).
#include <sstream>

#include <catch2/catch.hpp>

#include "loveless/aws_api/ecs_api.hpp"
#include "loveless/aws_api/fis_api.hpp"
#include "loveless/aws_api/fis_templates.hpp"
#include "loveless/aws_api/lambda_api.hpp"

#include "fake_clients.hpp"

using namespace loveless;
using loveless::testing::fake_client;
using loveless::testing::FakeAwsControlPlane;

TEST_CASE("a dry run prints the mutating calls and makes none", "[aws_api][dry-run]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string service_arn = fake.add_ecs_service("chaos", "workers", 1);
  const std::string function_arn = fake.add_lambda_function("resize", {{"BUCKET", "images"}});
  std::ostringstream log;
  aws_api::AwsCallGuard guard({service_arn, function_arn}, true, &log);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  aws_api::LambdaApi lambda(fake_client(fake, aws::kLambda));
  aws_api::FisApi fis(fake_client(fake, aws::kFis));

  const std::string task = ecs.list_tasks("chaos", "workers").front();
  CHECK_FALSE(ecs.stop_task("chaos", task, "loveless: kill", guard, service_arn).has_value());
  const auto original = lambda.recycle_environments("resize", "run-1-1", guard, function_arn);
  CHECK(original == aws_api::EnvironmentVariables{{"BUCKET", "images"}});
  const std::string revision = lambda.get_configuration("resize").revision_id;
  const auto template_id = fis.create_experiment_template(
      aws_api::lambda_invocation_delay_template(
          {"arn:aws:iam::123456789012:role/loveless-fis", "loveless delay", "run-1", std::nullopt},
          {function_arn, std::chrono::seconds(60), 100, std::chrono::milliseconds(1000)}),
      guard, function_arn);
  CHECK(template_id == aws_api::FisApi::kDryRunTemplateId);
  const auto experiment_id = fis.start_experiment(template_id, guard, function_arn);
  fis.stop_experiment(experiment_id, guard, function_arn);
  fis.delete_experiment_template(template_id, guard, function_arn);

  std::vector<std::string> lines;
  std::istringstream stream(log.str());
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "DRY-RUN ecs:StopTask " + task + " {\"cluster\":\"chaos\",\"reason\":" +
                        "\"loveless: kill\",\"task\":\"" + task + "\"}");
  CHECK(lines[1] ==
        "DRY-RUN lambda:UpdateFunctionConfiguration resize "
        "{\"Environment\":{\"Variables\":{\"BUCKET\":\"images\",\"LOVELESS_RECYCLE\":"
        "\"run-1-1\"}},\"RevisionId\":\"" +
            revision + "\"}");
  CHECK(lines[2].rfind("DRY-RUN fis:CreateExperimentTemplate loveless delay {\"actions\":", 0) ==
        0);
  CHECK(lines[2].find("\"clientToken\":\"") != std::string::npos);
  CHECK(lines[3].rfind("DRY-RUN fis:StartExperiment <dry-run-template> {\"clientToken\":\"", 0) ==
        0);
  CHECK(lines[4] == "DRY-RUN fis:StopExperiment <dry-run-experiment> {}");
  CHECK(lines[5] == "DRY-RUN fis:DeleteExperimentTemplate <dry-run-template> {}");

  for (const auto& request : fake.requests()) {
    CHECK((request.method == "GET" || request.operation == "ListTasks" ||
           request.operation == "DescribeTasks"));
  }
  CHECK(fake.running_tasks("chaos", "workers").size() == 1);
  CHECK(fake.lambda_environment("resize") ==
        std::map<std::string, std::string>{{"BUCKET", "images"}});
  CHECK(fake.experiment_template_count() == 0);
}

TEST_CASE("the dry run's lines are the same on every run", "[aws_api][dry-run]") {
  const auto render = [] {
    FakeAwsControlPlane fake(testing::fast_fake_options());
    const std::string function_arn = fake.add_lambda_function("resize", {});
    std::ostringstream log;
    aws_api::AwsCallGuard guard({function_arn}, true, &log);
    aws_api::FisApi fis(fake_client(fake, aws::kFis));
    const auto id = fis.create_experiment_template(
        aws_api::lambda_invocation_error_template(
            {"arn:aws:iam::123456789012:role/r", "loveless error", "run-9", std::nullopt},
            {function_arn, std::chrono::seconds(120), 25, true}),
        guard, function_arn);
    fis.start_experiment(id, guard, function_arn);
    return log.str();
  };
  CHECK(render() == render());
}
