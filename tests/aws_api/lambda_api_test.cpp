// LambdaApi against the fake: configuration reads and updates, the recycle
// that keeps the other variables and can be undone, and the update states.
#include "loveless/aws_api/lambda_api.hpp"

#include <catch2/catch.hpp>

#include "loveless/aws_api/wait.hpp"

#include "fake_clients.hpp"

using namespace loveless;
using loveless::testing::fake_client;
using loveless::testing::FakeAwsControlPlane;
using loveless::testing::kPoll;
using loveless::testing::kWait;

namespace {

aws_api::LambdaApi lambda_api(const FakeAwsControlPlane& fake) {
  return aws_api::LambdaApi(fake_client(fake, aws::kLambda), {kWait, kPoll});
}

}  // namespace

TEST_CASE("get_configuration reads the function's environment and revision", "[aws_api][lambda]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn = fake.add_lambda_function("resize", {{"BUCKET", "images"}});
  auto lambda = lambda_api(fake);
  const auto config = lambda.get_configuration("resize");
  CHECK(config.function_arn == arn);
  CHECK(config.variables == aws_api::EnvironmentVariables{{"BUCKET", "images"}});
  CHECK(config.last_update_status == "Successful");
  CHECK_FALSE(config.revision_id.empty());
  // An ARN works as the name too: its ':' are URI-encoded in the path.
  CHECK(lambda.get_configuration(arn).function_name == "resize");
  CHECK(aws_api::lambda_configuration_path(arn) ==
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aresize/"
        "configuration");
}

TEST_CASE("recycle sets the nonce, keeps the other variables and can be undone",
          "[aws_api][lambda]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn =
      fake.add_lambda_function("resize", {{"BUCKET", "images"}, {"MODE", "fast"}});
  auto lambda = lambda_api(fake);
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  const auto revision_before = lambda.get_configuration("resize").revision_id;

  const auto original = lambda.recycle_environments("resize", "run-1-7", guard, arn);
  CHECK(original == aws_api::EnvironmentVariables{{"BUCKET", "images"}, {"MODE", "fast"}});
  CHECK(fake.lambda_environment("resize") ==
        std::map<std::string, std::string>{
            {"BUCKET", "images"}, {"LOVELESS_RECYCLE", "run-1-7"}, {"MODE", "fast"}});
  // recycle waited for the update: later invocations get new environments.
  CHECK(fake.lambda_environment_generations("resize") == 1);
  const auto updates = fake.requests_for("UpdateFunctionConfiguration");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].method == "PUT");
  CHECK(updates[0].body["RevisionId"] == revision_before);
  CHECK(updates[0].body["Environment"]["Variables"]["LOVELESS_RECYCLE"] == "run-1-7");

  lambda.update_environment("resize", original, guard, arn);
  lambda.wait_until_updated("resize", kWait, kPoll);
  CHECK(fake.lambda_environment("resize") ==
        std::map<std::string, std::string>{{"BUCKET", "images"}, {"MODE", "fast"}});
}

TEST_CASE("an update during another one waits for it and is made once it ends",
          "[aws_api][lambda]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn = fake.add_lambda_function("resize", {});
  auto lambda = lambda_api(fake);
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  const auto first = lambda.update_environment("resize", {{"LEVEL", "1"}}, guard, arn);
  REQUIRE(first.has_value());
  CHECK(first->last_update_status == "InProgress");
  lambda.update_environment("resize", {{"LEVEL", "2"}}, guard, arn);
  const auto updates = fake.requests_for("UpdateFunctionConfiguration");
  REQUIRE(updates.size() == 3);
  CHECK(updates[1].status == 409);
  CHECK(updates[1].error_type == "ResourceConflictException");
  CHECK(updates[2].status == 200);
  lambda.wait_until_updated("resize", kWait, kPoll);
  CHECK(fake.lambda_environment("resize") == std::map<std::string, std::string>{{"LEVEL", "2"}});
}

TEST_CASE("a stale RevisionId is refused with PreconditionFailedException", "[aws_api][lambda]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn = fake.add_lambda_function("resize", {});
  auto lambda = lambda_api(fake);
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  const auto stale = lambda.get_configuration("resize").revision_id;
  lambda.update_environment("resize", {{"LEVEL", "1"}}, guard, arn);
  lambda.wait_until_updated("resize", kWait, kPoll);
  try {
    lambda.update_environment("resize", {{"LEVEL", "2"}}, guard, arn, stale);
    FAIL("no error");
  } catch (const aws::AwsError& error) {
    CHECK(error.type() == "PreconditionFailedException");
    CHECK(error.http_status() == 412);
  }
  CHECK(fake.lambda_environment("resize") == std::map<std::string, std::string>{{"LEVEL", "1"}});
}

TEST_CASE("a failed update is reported with its reason", "[aws_api][lambda]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string arn = fake.add_lambda_function("resize", {});
  fake.fail_next_lambda_update("resize", "ENI limit reached");
  auto lambda = lambda_api(fake);
  aws_api::AwsCallGuard guard({arn}, false, nullptr);
  CHECK_THROWS_AS(lambda.recycle_environments("resize", "n", guard, arn),
                  aws_api::LambdaUpdateFailed);
  CHECK_THROWS_WITH(lambda.wait_until_updated("resize", kWait, kPoll),
                    Catch::Contains("ENI limit reached"));
}

TEST_CASE("an unknown function is answered 404 ResourceNotFoundException", "[aws_api][lambda]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  auto lambda = lambda_api(fake);
  try {
    lambda.get_configuration("nope");
    FAIL("no error");
  } catch (const aws::AwsError& error) {
    CHECK(error.type() == "ResourceNotFoundException");
    CHECK(error.http_status() == 404);
    CHECK(error.message().find("Function not found") != std::string::npos);
  }
}

TEST_CASE("the guard stops an update of an unbound function before the fake sees it",
          "[aws_api][lambda]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  fake.add_lambda_function("resize", {{"LEVEL", "1"}});
  const std::string other = fake.add_lambda_function("billing", {{"LEVEL", "1"}});
  auto lambda = lambda_api(fake);
  aws_api::AwsCallGuard guard({"arn:aws:lambda:us-east-1:123456789012:function:resize"}, false,
                              nullptr);
  CHECK_THROWS_AS(lambda.recycle_environments("billing", "n", guard, other),
                  aws_api::ResourceNotAllowed);
  CHECK(fake.requests_for("UpdateFunctionConfiguration").empty());
  CHECK(fake.lambda_environment("billing") == std::map<std::string, std::string>{{"LEVEL", "1"}});
}
