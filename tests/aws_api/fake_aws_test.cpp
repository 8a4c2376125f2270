// Negative controls of the FAKE AWS control plane: it must refuse what AWS
// refuses (a wrong secret, an unknown key, an unsigned request, a signature
// for another service, an unknown target or route, a request missing a
// required field or with a field of the wrong type), or the tests above
// would prove nothing.
#include <catch2/catch.hpp>

#include "fake_clients.hpp"

using namespace loveless;
using loveless::testing::fake_client;
using loveless::testing::FakeAwsControlPlane;

namespace {

/// The AwsError `call` throws; fails the test when it throws none.
template <typename Call>
aws::AwsError error_of(Call&& call) {
  try {
    call();
  } catch (const aws::AwsError& error) {
    return error;
  }
  FAIL("the fake accepted the request");
  return aws::AwsError("", "", 0);
}

std::string ecs_target(const char* operation) {
  return std::string("AmazonEC2ContainerServiceV20141113.") + operation;
}

}  // namespace

TEST_CASE("the fake refuses a request signed with a wrong secret", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  fake.add_ecs_service("chaos", "workers", 1);
  fake.add_lambda_function("resize", {});
  aws::Credentials wrong = fake.credentials();
  wrong.secret_access_key = "not-the-secret";
  auto ecs = fake_client(fake, aws::kEcs, wrong);
  const auto ecs_error = error_of([&] {
    ecs.json_call(ecs_target("ListTasks"), "1.1", {{"cluster", "chaos"}});
  });
  CHECK(ecs_error.type() == "InvalidSignatureException");
  CHECK(ecs_error.http_status() == 403);
  auto lambda = fake_client(fake, aws::kLambda, wrong);
  const auto lambda_error = error_of([&] {
    lambda.rest_call("GET", "/2015-03-31/functions/resize/configuration", {}, std::nullopt);
  });
  CHECK(lambda_error.type() == "InvalidSignatureException");
  CHECK(fake.requests().back().status == 403);
}

TEST_CASE("the fake refuses an unknown access key", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  aws::Credentials unknown = fake.credentials();
  unknown.access_key_id = "AKIDSOMEONEELSE00000";
  auto fis = fake_client(fake, aws::kFis, unknown);
  const auto error = error_of([&] { fis.rest_call("GET", "/experiments/EXP1", {}, std::nullopt); });
  CHECK(error.type() == "UnrecognizedClientException");
}

TEST_CASE("the fake refuses an unsigned request", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  aws::ServiceClientOptions options;
  options.service = aws::kEcs;
  options.region = "us-east-1";
  options.endpoint = fake.endpoint();
  options.retry.max_attempts = 1;
  options.env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  aws::ServiceClient unsigned_client(std::move(options));
  const auto error = error_of(
      [&] { unsigned_client.json_call(ecs_target("ListTasks"), "1.1", nlohmann::json::object()); });
  CHECK(error.type() == "IncompleteSignatureException");
}

TEST_CASE("the fake refuses a signature for another service", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  fake.add_lambda_function("resize", {});
  // Lambda's route, signed as ECS.
  auto misnamed = fake_client(fake, aws::ServiceEndpoint{"ecs", "lambda", "LAMBDA"});
  const auto error = error_of([&] {
    misnamed.rest_call("GET", "/2015-03-31/functions/resize/configuration", {}, std::nullopt);
  });
  CHECK_FALSE(error.type().empty());
  CHECK(error.http_status() >= 400);
  CHECK(error.http_status() < 500);
}

TEST_CASE("the fake refuses unknown targets and routes", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  auto ecs = fake_client(fake, aws::kEcs);
  CHECK(error_of([&] {
          ecs.json_call(ecs_target("DeleteCluster"), "1.1", {{"cluster", "x"}});
        }).type() == "UnknownOperationException");
  CHECK(error_of([&] {
          ecs.json_call("AWSStepFunctions.ListStateMachines", "1.1", nlohmann::json::object());
        }).type() == "UnknownOperationException");
  auto lambda = fake_client(fake, aws::kLambda);
  CHECK(error_of([&] {
          lambda.rest_call("POST", "/2015-03-31/functions/resize/invocations", {},
                           nlohmann::json::object());
        }).type() == "UnknownOperationException");
}

TEST_CASE("the fake refuses ECS requests missing a required field", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  fake.add_ecs_service("chaos", "workers", 1);
  auto ecs = fake_client(fake, aws::kEcs);
  const auto error = error_of([&] {
    ecs.json_call(ecs_target("StopTask"), "1.1", {{"cluster", "chaos"}});
  });
  CHECK(error.type() == "InvalidParameterException");
  CHECK(error.message().find("task") != std::string::npos);
  CHECK(error_of([&] {
          ecs.json_call(ecs_target("DescribeTasks"), "1.1", {{"cluster", "chaos"}, {"tasks", 3}});
        }).type() == "InvalidParameterException");
  CHECK(error_of([&] {
          ecs.json_call(ecs_target("ListTasks"), "1.1", {{"cluster", "nope"}});
        }).type() == "ClusterNotFoundException");
}

TEST_CASE("the fake refuses Lambda environment variables that are not strings", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  fake.add_lambda_function("resize", {{"LEVEL", "1"}});
  auto lambda = fake_client(fake, aws::kLambda);
  const auto error = error_of([&] {
    lambda.rest_call("PUT", "/2015-03-31/functions/resize/configuration", {},
                     nlohmann::json{{"Environment", {{"Variables", {{"A", 1}}}}}});
  });
  CHECK(error.type() == "InvalidParameterValueException");
  CHECK(error.http_status() == 400);
  CHECK(fake.lambda_environment("resize") == std::map<std::string, std::string>{{"LEVEL", "1"}});
}

TEST_CASE("the fake refuses FIS templates missing required fields", "[aws_api][fake]") {
  FakeAwsControlPlane fake;
  auto fis = fake_client(fake, aws::kFis);
  const nlohmann::json complete = {
      {"clientToken", "t1"},
      {"description", "d"},
      {"roleArn", "arn:aws:iam::123456789012:role/r"},
      {"stopConditions", {{{"source", "none"}}}},
      {"targets",
       {{"T",
         {{"resourceType", "aws:lambda:function"},
          {"resourceArns", {"arn:aws:lambda:us-east-1:123456789012:function:f"}},
          {"selectionMode", "ALL"}}}}},
      {"actions",
       {{"A",
         {{"actionId", "aws:lambda:invocation-error"},
          {"parameters", {{"duration", "PT1M"}, {"preventExecution", "true"}}},
          {"targets", {{"Functions", "T"}}}}}}}};
  for (const std::string field :
       {"clientToken", "description", "roleArn", "stopConditions", "actions"}) {
    nlohmann::json incomplete = complete;
    incomplete.erase(field);
    const auto error =
        error_of([&] { fis.rest_call("POST", "/experimentTemplates", {}, incomplete); });
    INFO(field);
    CHECK(error.type() == "ValidationException");
    CHECK(error.http_status() == 400);
  }
  nlohmann::json no_mode = complete;
  no_mode["targets"]["T"].erase("selectionMode");
  CHECK(error_of([&] { fis.rest_call("POST", "/experimentTemplates", {}, no_mode); }).type() ==
        "ValidationException");
  nlohmann::json no_action_id = complete;
  no_action_id["actions"]["A"].erase("actionId");
  CHECK(error_of([&] { fis.rest_call("POST", "/experimentTemplates", {}, no_action_id); }).type() ==
        "ValidationException");
  CHECK(fis.rest_call("POST", "/experimentTemplates", {}, complete)["experimentTemplate"].contains(
      "id"));
}
