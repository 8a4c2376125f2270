// AwsCallGuard: the allow-list refuses before anything is sent, a dry run
// prints and sends nothing, permitted calls are logged and recorded.
#include "loveless/aws_api/call_guard.hpp"

#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

using loveless::aws_api::AwsCallGuard;
using loveless::aws_api::MutatingCall;
using loveless::aws_api::ResourceNotAllowed;

namespace {

constexpr const char* kService = "arn:aws:ecs:us-east-1:123456789012:service/c/web";

MutatingCall stop_call(const std::string& bound) {
  return {"ecs",
          "StopTask",
          bound,
          "arn:aws:ecs:us-east-1:123456789012:task/c/abc",
          {{"task", "arn:aws:ecs:us-east-1:123456789012:task/c/abc"}, {"cluster", "c"}}};
}

}  // namespace

TEST_CASE("the guard refuses a resource outside the allow-list and names it", "[aws_api]") {
  std::ostringstream log;
  AwsCallGuard guard({kService}, false, &log);
  const std::string other = "arn:aws:ecs:us-east-1:123456789012:service/c/other";
  try {
    guard.permit(stop_call(other));
    FAIL("no ResourceNotAllowed");
  } catch (const ResourceNotAllowed& error) {
    const std::string message = error.what();
    CHECK(message.find(other) != std::string::npos);
    CHECK(message.find("add it to the scenario's AWS bindings") != std::string::npos);
  }
  CHECK(log.str().empty());
  CHECK(guard.calls().empty());
}

TEST_CASE("the guard refuses in a dry run too", "[aws_api]") {
  AwsCallGuard guard({kService}, true, nullptr);
  CHECK_THROWS_AS(guard.permit(stop_call("")), ResourceNotAllowed);
}

TEST_CASE("a dry run prints one sorted compact line per call and permits none", "[aws_api]") {
  std::ostringstream log;
  AwsCallGuard guard({kService}, true, &log);
  CHECK_FALSE(guard.permit(stop_call(kService)));
  CHECK(log.str() ==
        "DRY-RUN ecs:StopTask arn:aws:ecs:us-east-1:123456789012:task/c/abc "
        "{\"cluster\":\"c\",\"task\":\"arn:aws:ecs:us-east-1:123456789012:task/c/abc\"}\n");
  REQUIRE(guard.calls().size() == 1);
  CHECK(guard.calls().front().operation == "StopTask");
}

TEST_CASE("a permitted call is logged and recorded", "[aws_api]") {
  std::ostringstream log;
  AwsCallGuard guard({kService}, false, &log);
  CHECK(guard.permit(stop_call(kService)));
  CHECK(log.str().rfind("AWS ecs:StopTask ", 0) == 0);
  CHECK(guard.calls().size() == 1);
}

TEST_CASE("the guard records calls from many threads whole", "[aws_api]") {
  std::ostringstream log;
  AwsCallGuard guard({kService}, true, &log);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) guard.permit(stop_call(kService));
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(guard.calls().size() == 200);
  std::istringstream lines(log.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    CHECK(line.rfind("DRY-RUN ecs:StopTask ", 0) == 0);
    ++count;
  }
  CHECK(count == 200);
}
