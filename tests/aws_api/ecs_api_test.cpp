// EcsApi against the fake: listing, describing, and the kill -> replacement
// -> steady state cycle of an ECS service.
#include "loveless/aws_api/ecs_api.hpp"

#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "loveless/aws_api/wait.hpp"

#include "fake_clients.hpp"

using namespace loveless;
using loveless::testing::fake_client;
using loveless::testing::FakeAwsControlPlane;
using loveless::testing::kPoll;
using loveless::testing::kWait;

TEST_CASE("list_tasks follows every page of ListTasks", "[aws_api][ecs]") {
  auto options = testing::fast_fake_options();
  options.page_size = 2;
  FakeAwsControlPlane fake(options);
  fake.add_ecs_service("chaos", "workers", 5);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));

  const auto arns = ecs.list_tasks("chaos", "workers");
  CHECK(arns.size() == 5);
  const auto calls = fake.requests_for("ListTasks");
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].body["desiredStatus"] == "RUNNING");
  CHECK(calls[0].body["serviceName"] == "workers");
  CHECK(calls[1].body["nextToken"] == "2");
}

TEST_CASE("describe_tasks and describe_service read what the fake holds", "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string service_arn = fake.add_ecs_service("chaos", "workers", 2);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));

  const auto tasks = ecs.describe_tasks("chaos", ecs.list_tasks("chaos", "workers"));
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[0].last_status == "RUNNING");
  CHECK(tasks[0].group == "service:workers");
  CHECK(tasks[0].started_at.has_value());

  const auto status = ecs.describe_service("chaos", "workers");
  CHECK(status.service_arn == service_arn);
  CHECK(status.desired_count == 2);
  CHECK(status.running_count == 2);
  CHECK(status.deployment_count == 1);
  CHECK(status.steady());
}

TEST_CASE("describe_service of an unknown service throws ServiceNotFoundException",
          "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  fake.add_ecs_service("chaos", "workers", 1);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  try {
    ecs.describe_service("chaos", "nope");
    FAIL("no error");
  } catch (const aws::AwsError& error) {
    CHECK(error.type() == "ServiceNotFoundException");
    CHECK(error.message().find("MISSING") != std::string::npos);
  }
}

TEST_CASE("a stopped task is replaced and the service returns to steady state", "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string service_arn = fake.add_ecs_service("chaos", "workers", 3);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  std::ostringstream log;
  aws_api::AwsCallGuard guard({service_arn}, false, &log);

  const auto before = ecs.list_tasks("chaos", "workers");
  const std::set<std::string> known(before.begin(), before.end());
  const auto stopped = ecs.stop_task("chaos", before.front(), "loveless: kill", guard, service_arn);
  REQUIRE(stopped.has_value());
  CHECK(stopped->desired_status == "STOPPED");
  CHECK(stopped->stopped_reason == "loveless: kill");
  const auto stop_requests = fake.requests_for("StopTask");
  REQUIRE(stop_requests.size() == 1);
  CHECK(stop_requests[0].body["task"] == before.front());
  CHECK(stop_requests[0].body["reason"] == "loveless: kill");

  // Right after the kill the replacement is still PENDING: not steady.
  const auto during = ecs.describe_service("chaos", "workers");
  CHECK(during.running_count == 2);
  CHECK(during.pending_count == 1);
  CHECK_FALSE(during.steady());

  const auto replacement = ecs.wait_for_replacement("chaos", "workers", known, kWait, kPoll);
  CHECK(known.count(replacement.task_arn) == 0);
  CHECK(replacement.last_status == "RUNNING");
  const auto steady = ecs.wait_for_steady_state("chaos", "workers", kWait, kPoll);
  CHECK(steady.running_count == 3);
  CHECK(fake.running_tasks("chaos", "workers").size() == 3);
  const auto killed = ecs.describe_tasks("chaos", {before.front()});
  REQUIRE(killed.size() == 1);
  CHECK(killed[0].last_status == "STOPPED");
}

TEST_CASE("waits are bounded and say what they saw last", "[aws_api][ecs]") {
  auto options = testing::fast_fake_options();
  options.replacement_delay = std::chrono::hours(1);
  FakeAwsControlPlane fake(options);
  const std::string service_arn = fake.add_ecs_service("chaos", "workers", 1);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  aws_api::AwsCallGuard guard({service_arn}, false, nullptr);
  const auto before = ecs.list_tasks("chaos", "workers");
  ecs.stop_task("chaos", before.front(), "kill", guard, service_arn);

  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(
      ecs.wait_for_steady_state("chaos", "workers", std::chrono::milliseconds(150), kPoll),
      Catch::Contains("0 running of 1 desired"));
  CHECK_THROWS_AS(ecs.wait_for_replacement("chaos", "workers", {before.begin(), before.end()},
                                           std::chrono::milliseconds(150), kPoll),
                  aws_api::AwsWaitTimeout);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
}

TEST_CASE("stopping an unknown task is answered InvalidParameterException", "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string service_arn = fake.add_ecs_service("chaos", "workers", 1);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  aws_api::AwsCallGuard guard({service_arn}, false, nullptr);
  try {
    ecs.stop_task("chaos", "arn:aws:ecs:us-east-1:123456789012:task/chaos/ffff", "kill", guard,
                  service_arn);
    FAIL("no error");
  } catch (const aws::AwsError& error) {
    CHECK(error.type() == "InvalidParameterException");
    CHECK(error.http_status() == 400);
  }
}

TEST_CASE("the guard stops a StopTask outside the allow-list before the fake sees it",
          "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  fake.add_ecs_service("chaos", "workers", 1);
  const std::string other = fake.add_ecs_service("chaos", "other", 1);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  aws_api::AwsCallGuard guard({"arn:aws:ecs:us-east-1:123456789012:service/chaos/workers"}, false,
                              nullptr);
  const auto tasks = ecs.list_tasks("chaos", "other");
  CHECK_THROWS_AS(ecs.stop_task("chaos", tasks.front(), "kill", guard, other),
                  aws_api::ResourceNotAllowed);
  CHECK(fake.requests_for("StopTask").empty());
  CHECK(fake.requests_for("DescribeTasks").empty());  // refused before any request
  CHECK(fake.running_tasks("chaos", "other").size() == 1);
}

TEST_CASE("describe_tasks asks for at most 100 tasks per DescribeTasks", "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  fake.add_ecs_service("chaos", "workers", 150);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  const auto arns = ecs.list_tasks("chaos", "workers");
  REQUIRE(arns.size() == 150);
  CHECK(ecs.describe_tasks("chaos", arns).size() == 150);
  const auto calls = fake.requests_for("DescribeTasks");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].body["tasks"].size() == 100);
  CHECK(calls[1].body["tasks"].size() == 50);
}

TEST_CASE("one EcsApi serves several threads at once", "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  fake.add_ecs_service("chaos", "workers", 4);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  std::atomic<int> listed{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (ecs.list_tasks("chaos", "workers").size() == 4) ++listed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(listed == 40);
  CHECK(fake.requests_for("ListTasks").size() == 40);
}

TEST_CASE("a task of another service cannot be stopped under a bound service's name",
          "[aws_api][ecs]") {
  FakeAwsControlPlane fake(testing::fast_fake_options());
  const std::string bound = fake.add_ecs_service("chaos", "workers", 1);
  fake.add_ecs_service("chaos", "billing", 1);
  aws_api::EcsApi ecs(fake_client(fake, aws::kEcs));
  aws_api::AwsCallGuard guard({bound}, false, nullptr);
  const auto foreign = ecs.list_tasks("chaos", "billing").front();
  CHECK_THROWS_WITH(ecs.stop_task("chaos", foreign, "kill", guard, bound),
                    Catch::Contains("belongs to service:billing"));
  CHECK(fake.requests_for("StopTask").empty());
  CHECK(guard.calls().empty());
  CHECK(fake.running_tasks("chaos", "billing").size() == 1);
}
