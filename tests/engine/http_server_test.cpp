// The awsJson1_0 API over real HTTP on an ephemeral loopback port, through
// loveless::aws::JsonClient and through raw requests.
#include "loveless/engine/http_server.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "loveless/aws/json_client.hpp"

#include "engine_test_support.hpp"
#include "http_test_support.hpp"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace loveless;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;

TEST_CASE("an activity workflow end to end over HTTP", "[http]") {
  HttpFixture f;
  auto client = f.client();
  const auto activity =
      client.call("CreateActivity", {{"name", "work"}})["activityArn"].get<std::string>();
  const auto sm = client
                      .call("CreateStateMachine", {{"name", "orders"},
                                                   {"definition", task_definition(activity)},
                                                   {"roleArn", kRoleArn}})["stateMachineArn"]
                      .get<std::string>();
  const auto run = client
                       .call("StartExecution",
                             {{"stateMachineArn", sm}, {"input", R"({"n": 1})"}})["executionArn"]
                       .get<std::string>();
  auto worker = f.client();
  const auto task =
      worker.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "w1"}});
  REQUIRE(task.contains("taskToken"));
  worker.call("SendTaskHeartbeat", {{"taskToken", task["taskToken"]}});
  worker.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", R"({"ok": true})"}});
  const auto described = client.call("DescribeExecution", {{"executionArn", run}});
  CHECK(described["status"] == "SUCCEEDED");
  const auto history = client.call("GetExecutionHistory", {{"executionArn", run}});
  CHECK(history["events"].size() == 7);
  CHECK(history["events"][3]["activityStartedEventDetails"]["workerName"] == "w1");
}

TEST_CASE("every response is application/x-amz-json-1.0, even {}", "[http]") {
  HttpFixture f;
  const auto created = f.post("AWSStepFunctions.CreateActivity", R"({"name": "a"})");
  REQUIRE(created);
  CHECK(created->status == 200);
  CHECK(created->get_header_value("Content-Type") == kJson10);
  const auto deleted = f.post(
      "AWSStepFunctions.DeleteActivity",
      nlohmann::json{{"activityArn", nlohmann::json::parse(created->body)["activityArn"]}}.dump());
  REQUIRE(deleted);
  CHECK(deleted->status == 200);
  CHECK(deleted->get_header_value("Content-Type") == kJson10);
  CHECK(deleted->body == "{}");
  // An empty body means {}.
  const auto listed = f.post("AWSStepFunctions.ListStateMachines", "");
  REQUIRE(listed);
  CHECK(listed->status == 200);
  CHECK(nlohmann::json::parse(listed->body)["stateMachines"].empty());
}

TEST_CASE("bad requests get the AWS error shape and the server keeps serving", "[http]") {
  HttpFixture f;
  auto client = f.client();
  const auto healthy = [&] {
    CHECK(client.call("ListActivities", nlohmann::json::object()).contains("activities"));
  };

  check_error_shape(f.post("AWSStepFunctions.ListActivities", "{not json"), 400,
                    "SerializationException");
  healthy();
  check_error_shape(f.post("AWSStepFunctions.ListActivities", "[1, 2]"), 400,
                    "SerializationException");
  healthy();
  check_error_shape(f.post("AWSStepFunctions.Teleport", "{}"), 400, "UnknownOperationException");
  healthy();
  check_error_shape(f.post("", "{}"), 400, "UnknownOperationException");
  healthy();
  check_error_shape(f.post("OtherService.ListActivities", "{}"), 400, "UnknownOperationException");
  healthy();
  check_error_shape(f.post("AWSStepFunctions.CreateActivity", R"({"name": 12})"), 400,
                    "ValidationException");
  healthy();
  check_error_shape(f.post("AWSStepFunctions.ListActivities", std::string(2 << 20, ' ')), 413,
                    "RequestEntityTooLargeException");
  healthy();
  {
    httplib::Client raw("127.0.0.1", f.port);
    check_error_shape(raw.Get("/"), 404, "UnknownOperationException");
  }
  healthy();

  const auto sm = client
                      .call("CreateStateMachine", {{"name", "sm"},
                                                   {"definition", pass_definition()},
                                                   {"roleArn", kRoleArn}})["stateMachineArn"]
                      .get<std::string>();
  const std::string big_input = "\"" + std::string(300'000, 'x') + "\"";
  CHECK(aws_error([&] {
          client.call("StartExecution", {{"stateMachineArn", sm}, {"input", big_input}});
        }).type() == "InvalidExecutionInput");
  healthy();
  CHECK(aws_error([&] {
          client.call("DescribeExecution", {{"executionArn", "arn:nope"}});
        }).type() == "InvalidArn");
  const auto token_error = aws_error([&] {
    client.call("SendTaskSuccess", {{"taskToken", "bogus"}, {"output", "{}"}});
  });
  CHECK(token_error.type() == "InvalidToken");
  CHECK(token_error.http_status() == 400);
  CHECK(token_error.message() == "Invalid Token: 'bogus'");
  const auto definition_error = aws_error([&] {
    client.call("CreateStateMachine",
                {{"name", "broken"}, {"definition", R"({"States": {}})"}, {"roleArn", kRoleArn}});
  });
  CHECK(definition_error.type() == "InvalidDefinition");
  CHECK(definition_error.message().rfind("Invalid State Machine Definition: '", 0) == 0);
  healthy();
}

TEST_CASE("stop() wakes long polls and returns promptly", "[http][long-poll]") {
  auto f = std::make_unique<HttpFixture>(fast_options(30s));
  auto client = f->client();
  const auto activity =
      client.call("CreateActivity", {{"name", "work"}})["activityArn"].get<std::string>();
  std::optional<nlohmann::json> answer;
  std::thread poller([&] {
    auto worker = f->client();
    try {
      answer = worker.call("GetActivityTask", {{"activityArn", activity}});
    } catch (const aws::AwsError&) {
      answer = nlohmann::json();
    }
  });
  std::this_thread::sleep_for(200ms);
  const auto stopping = std::chrono::steady_clock::now();
  client = f->client();  // drop the idle keep-alive connection
  f->server.stop();
  poller.join();
  CHECK(std::chrono::steady_clock::now() - stopping < 10s);
  REQUIRE(answer);
  CHECK_FALSE(answer->contains("taskToken"));
  f->server.stop();  // idempotent
}

TEST_CASE("a taken port is reported, naming the address", "[http]") {
  HttpFixture f;
  engine::StepFunctionsService other(fast_options());
  engine::HttpServer second(other);
  try {
    second.start("127.0.0.1", f.port);
    FAIL("binding a taken port must throw");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find(std::to_string(f.port)) != std::string::npos);
  }
}

TEST_CASE("JsonClient reports network failures as NetworkError", "[http][client]") {
  // A port that was free a moment ago and has no listener: connecting is refused.
  int closed_port = 0;
  {
    const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&address), length) == 0);
    REQUIRE(::getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    closed_port = ntohs(address.sin_port);
    ::close(sock);
  }
  aws::JsonClientOptions options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(closed_port);
  options.connect_timeout = 1s;
  aws::JsonClient client(options);
  const auto error = aws_error([&] { client.call("ListActivities", nlohmann::json::object()); });
  CHECK(error.type() == "NetworkError");
  CHECK(error.http_status() == 0);
}

TEST_CASE("JsonClient keeps the bare name of a qualified __type", "[http][client]") {
  httplib::Server fake;
  fake.Post("/", [](const httplib::Request& request, httplib::Response& response) {
    const auto target = request.get_header_value("X-Amz-Target");
    if (target == "AWSStepFunctions.Qualified") {
      response.status = 400;
      response.set_content(
          R"({"__type": "com.amazonaws.states#TaskTimedOut:http://internal", "message": "late"})",
          kJson10);
    } else if (target == "AWSStepFunctions.CapitalMessage") {
      response.status = 400;
      response.set_content(R"({"__type": "ThrottlingException", "Message": "slow down"})", kJson10);
    } else {
      response.set_content("", kJson10);
    }
  });
  const int port = fake.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { fake.listen_after_bind(); });
  {
    aws::JsonClientOptions options;
    options.endpoint = "http://127.0.0.1:" + std::to_string(port);
    aws::JsonClient client(options);
    auto error = aws_error([&] { client.call("Qualified", nlohmann::json::object()); });
    CHECK(error.type() == "TaskTimedOut");
    CHECK(error.message() == "late");
    CHECK(error.http_status() == 400);
    error = aws_error([&] { client.call("CapitalMessage", nlohmann::json::object()); });
    CHECK(error.type() == "ThrottlingException");
    CHECK(error.message() == "slow down");
    CHECK(client.call("Empty", nlohmann::json::object()) == nlohmann::json::object());
  }
  fake.stop();
  thread.join();
}

TEST_CASE("GetActivityTask is attributed to the worker the resolver names for its connection",
          "[http][worker-resolver]") {
  // Declared before the service, which calls back into them until it is gone.
  std::mutex mutex;
  std::vector<engine::CallerAddress> callers;
  std::string resolved = "fleet-7";
  std::vector<std::pair<std::string, std::string>> started;  // (workerName, notice worker)
  HttpFixture f;
  f.service.set_worker_resolver([&](const engine::CallerAddress& caller) {
    const std::lock_guard lock(mutex);
    callers.push_back(caller);
    return resolved;
  });
  f.service.observe([&](const engine::ExecutionNotice& notice) {
    if (notice.event.type != "ActivityStarted") return;
    const std::lock_guard lock(mutex);
    started.emplace_back(notice.event.details.value("workerName", ""), notice.worker);
  });
  auto client = f.client();
  const auto activity =
      client.call("CreateActivity", {{"name", "work"}})["activityArn"].get<std::string>();
  const auto sm = client
                      .call("CreateStateMachine", {{"name", "orders"},
                                                   {"definition", task_definition(activity)},
                                                   {"roleArn", kRoleArn}})["stateMachineArn"]
                      .get<std::string>();
  const auto take_one = [&](const std::string& worker_name) {
    const auto run =
        client.call("StartExecution", {{"stateMachineArn", sm}, {"input", "{}"}})["executionArn"]
            .get<std::string>();
    auto worker = f.client();
    const auto task =
        worker.call("GetActivityTask", {{"activityArn", activity}, {"workerName", worker_name}});
    REQUIRE(task.contains("taskToken"));
    worker.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", "{}"}});
    return client.call("GetExecutionHistory", {{"executionArn", run}});
  };

  const auto history = take_one("vm-15348");
  // The history keeps the workerName the poll sent, as AWS records it.
  CHECK(history["events"][3]["activityStartedEventDetails"]["workerName"] == "vm-15348");
  {
    const std::lock_guard lock(mutex);
    REQUIRE(started.size() == 1);
    CHECK(started[0].first == "vm-15348");
    CHECK(started[0].second == "fleet-7");
    // Only GetActivityTask asks, with the connection's two ports.
    REQUIRE(callers.size() == 1);
    CHECK(callers[0].server_port == f.port);
    CHECK(callers[0].port > 0);
    CHECK(callers[0].port != f.port);
    CHECK(callers[0].address.find("127.0.0.1") != std::string::npos);
    resolved.clear();
  }

  // A caller the resolver cannot tell keeps its workerName.
  take_one("vm-4242");
  {
    const std::lock_guard lock(mutex);
    REQUIRE(started.size() == 2);
    CHECK(started[1].second == "vm-4242");
  }
  // A caller that has hung up (kCallerGone) gets an empty answer at once and
  // leaves the task queued for the next poll.
  {
    const std::lock_guard lock(mutex);
    resolved = engine::kCallerGone;
  }
  client.call("StartExecution", {{"stateMachineArn", sm}, {"input", "{}"}});
  const auto gone_at = std::chrono::steady_clock::now();
  CHECK_FALSE(f.client()
                  .call("GetActivityTask", {{"activityArn", activity}, {"workerName", "vm-1"}})
                  .contains("taskToken"));
  CHECK(std::chrono::steady_clock::now() - gone_at < std::chrono::seconds(5));
  {
    const std::lock_guard lock(mutex);
    CHECK(started.size() == 2);
    resolved.clear();
  }
  auto next = f.client();
  const auto task =
      next.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "vm-2"}});
  REQUIRE(task.contains("taskToken"));
  next.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", "{}"}});
  {
    const std::lock_guard lock(mutex);
    REQUIRE(started.size() == 3);
    CHECK(started[2].first == "vm-2");
  }

  // Without a resolver, the same.
  f.service.set_worker_resolver({});
  take_one("vm-99");
  const std::lock_guard lock(mutex);
  REQUIRE(started.size() == 4);
  CHECK(started[3].second == "vm-99");
  CHECK(callers.size() == 4);
}
