// The engine survives bad input and overload over real HTTP (issue 16): each
// request below once crashed `loveless serve`, hung it or starved it. After
// each one the server must still answer an ordinary call.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "loveless/asl/json_document.hpp"
#include "loveless/jsonata/evaluator.hpp"

#include "engine_test_support.hpp"
#include "http_test_support.hpp"
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace loveless;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;

namespace {

/// `depth` nested arrays: `[[[...]]]`.
std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

/// A raw TCP connection to the server on loopback, for requests no HTTP
/// client library sends (chunked bodies past the limit, bytes that are not
/// UTF-8 in headers, connections that never send a request).
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// False once the server has closed the connection.
  bool send_all(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  /// Everything the server sends until it closes the connection or 10 s pass.
  std::string read_all() {
    std::string received;
    char buffer[4096];
    while (true) {
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
    }
    return received;
  }

 private:
  int fd_;
};

std::string create_state_machine(aws::JsonClient& client, const std::string& name,
                                 const std::string& definition) {
  return client
      .call("CreateStateMachine",
            {{"name", name}, {"definition", definition}, {"roleArn", kRoleArn}})["stateMachineArn"]
      .get<std::string>();
}

nlohmann::json history_of(aws::JsonClient& client, const std::string& execution) {
  nlohmann::json events = nlohmann::json::array();
  nlohmann::json request = {{"executionArn", execution}, {"maxResults", 1000}};
  while (true) {
    auto page = client.call("GetExecutionHistory", request);
    for (auto& event : page["events"]) events.push_back(std::move(event));
    if (!page.contains("nextToken")) break;
    request["nextToken"] = page["nextToken"];
  }
  return events;
}

/// DescribeExecution once the execution has left RUNNING (or after 120 s):
/// the engine runs a long loop of states in slices after StartExecution has
/// returned, as AWS runs an execution after answering.
nlohmann::json describe_when_closed(aws::JsonClient& client, const std::string& execution) {
  nlohmann::json described;
  wait_until(
      [&] {
        described = client.call("DescribeExecution", {{"executionArn", execution}});
        return described["status"] != "RUNNING";
      },
      120s);
  return described;
}

}  // namespace

TEST_CASE("JSON nested deeper than the limit is refused at every entry point, with AWS's errors",
          "[http][hostile]") {
  HttpFixture f;
  auto client = f.client();
  const auto healthy = [&] {
    CHECK(client.call("ListActivities", nlohmann::json::object()).contains("activities"));
  };
  // About 200 KB: under the 256 KB input limit, deep enough to overflow a
  // stack by recursion.
  const auto deep = nested_arrays(100'000);

  SECTION("an execution input") {
    const auto sm = create_state_machine(client, "deep-input", pass_definition());
    const auto error = aws_error([&] {
      client.call("StartExecution", {{"stateMachineArn", sm}, {"input", deep}});
    });
    CHECK(error.type() == "InvalidExecutionInput");
    CHECK_THAT(error.message(), Catch::Contains("deeper than 1000 levels"));
    // At the limit itself the input is taken.
    const auto at_limit = nested_arrays(asl::kMaxJsonDepth);
    CHECK(client.call("StartExecution", {{"stateMachineArn", sm}, {"input", at_limit}})
              .contains("executionArn"));
  }
  SECTION("a request body") {
    const auto body = R"({"name": )" + deep + "}";
    const auto result = f.post("AWSStepFunctions.CreateActivity", body);
    check_error_shape(result, 400, "SerializationException");
    CHECK_THAT(result->body, Catch::Contains("deeper than 1000 levels"));
  }
  SECTION("a task result") {
    const auto activity =
        client.call("CreateActivity", {{"name", "work"}})["activityArn"].get<std::string>();
    const auto sm = create_state_machine(client, "deep-output", task_definition(activity));
    client.call("StartExecution", {{"stateMachineArn", sm}});
    const auto task = client.call("GetActivityTask", {{"activityArn", activity}});
    REQUIRE(task.contains("taskToken"));
    const auto error = aws_error([&] {
      client.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", deep}});
    });
    CHECK(error.type() == "InvalidOutput");
    CHECK_THAT(error.message(), Catch::Contains("deeper than 1000 levels"));
  }
  SECTION("a definition (the validator's own, lower limit)") {
    const auto definition = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": )" +
                            nested_arrays(5'000) + R"(, "End": true}}})";
    const auto error = aws_error([&] { create_state_machine(client, "deep", definition); });
    CHECK(error.type() == "InvalidDefinition");
    CHECK_THAT(error.message(), Catch::Contains("nested deeper than 256 levels"));
  }
  healthy();
}

TEST_CASE("a loop of states ends at AWS's 25,000-event history quota and the server stays up",
          "[http][hostile]") {
  HttpFixture f(sliced_options());
  auto client = f.client();
  const std::string pass_loop =
      R"({"StartAt": "Again", "States": {"Again": {"Type": "Pass", "Next": "Again"}}})";
  const std::string choice_loop = R"({"StartAt": "Loop", "States": {"Loop": {"Type": "Choice",
      "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "Loop"}],
      "Default": "Loop"}}})";
  const auto definition = GENERATE_COPY(pass_loop, choice_loop);
  const auto sm = create_state_machine(client, "loop", definition);
  const auto execution = client
                             .call("StartExecution", {{"stateMachineArn", sm},
                                                      {"input", R"({"x": 1})"}})["executionArn"]
                             .get<std::string>();
  const auto described = describe_when_closed(client, execution);
  CHECK(described["status"] == "FAILED");
  CHECK(described["error"] == "States.Runtime");
  CHECK(described["cause"] ==
        "The execution reached the maximum number of history events (25000).");

  const auto events = history_of(client, execution);
  REQUIRE(events.size() == 25'000);
  CHECK(events.back()["type"] == "ExecutionFailed");
  CHECK(events.back()["id"] == 25'000);
  CHECK(events.back()["executionFailedEventDetails"]["error"] == "States.Runtime");
  CHECK(events[events.size() - 2]["type"] != "ExecutionFailed");
  // The server kept serving while the loop ran and after.
  CHECK(client.call("ListStateMachines", nlohmann::json::object())["stateMachines"].size() == 1);
}

TEST_CASE("executions carrying large payloads fail at the engine's budget, and the server stays up",
          "[http][hostile]") {
  // Each execution is capped at 1 GiB of payloads, but twenty of them held
  // 20 GiB: the budget across executions (here 3 MB) fails the one that
  // would go over, naming the limit, before the machine runs out.
  auto options = sliced_options();
  options.history_payload_budget = 3'000'000;
  HttpFixture f(options);
  auto client = f.client();
  const auto sm = create_state_machine(
      client, "loop",
      R"({"StartAt": "Again", "States": {"Again": {"Type": "Pass", "Next": "Again"}}})");
  const std::string input = nlohmann::json{{"blob", std::string(100'000, 'x')}}.dump();
  const auto execution =
      client.call("StartExecution", {{"stateMachineArn", sm}, {"input", input}})["executionArn"]
          .get<std::string>();
  const auto described = describe_when_closed(client, execution);
  CHECK(described["status"] == "FAILED");
  CHECK(described["error"] == "States.Runtime");
  CHECK_THAT(described["cause"].get<std::string>(),
             Catch::StartsWith("The executions on this engine hold more than 3 MiB of history "
                               "payloads together, the local engine's limit across executions"));
  // About 3 MB of 100 KB payloads: some thirty events, far below 25,000.
  const auto events = history_of(client, execution);
  CHECK(events.size() < 40);
  CHECK(events.back()["type"] == "ExecutionFailed");
  // The budget is spent: a new execution with any input fails at once, and
  // the server answers.
  const auto next = client
                        .call("StartExecution", {{"stateMachineArn", sm},
                                                 {"input", R"({"small": 1})"}})["executionArn"]
                        .get<std::string>();
  CHECK(describe_when_closed(client, next)["status"] == "FAILED");
  CHECK(client.call("ListStateMachines", nlohmann::json::object())["stateMachines"].size() == 1);
}

TEST_CASE("a Map over too many items fails at the history quota", "[http][hostile]") {
  HttpFixture f(sliced_options());
  auto client = f.client();
  const std::string definition = R"({"StartAt": "Each", "States": {"Each": {"Type": "Map",
      "ItemsPath": "$.items", "MaxConcurrency": 0,
      "Iterator": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}},
      "End": true}}})";
  nlohmann::json items = nlohmann::json::array();
  for (int i = 0; i < 7'000; ++i) items.push_back(i);  // 4 events each: 28,000
  const auto sm = create_state_machine(client, "map", definition);
  const auto execution =
      client
          .call("StartExecution",
                {{"stateMachineArn", sm},
                 {"input", nlohmann::json{{"items", items}}.dump()}})["executionArn"]
          .get<std::string>();
  const auto described = describe_when_closed(client, execution);
  CHECK(described["status"] == "FAILED");
  CHECK(described["error"] == "States.Runtime");
  const auto events = history_of(client, execution);
  CHECK(events.size() == 25'000);
  CHECK(events.back()["type"] == "ExecutionFailed");
}

TEST_CASE("a loop that nests its data one level per pass fails before it can overflow a stack",
          "[http][hostile]") {
  HttpFixture f;
  auto client = f.client();
  const std::string definition = R"({"StartAt": "Wrap", "States": {"Wrap": {"Type": "Pass",
      "Parameters": {"inner.$": "$"}, "Next": "Wrap"}}})";
  const auto sm = create_state_machine(client, "wrap", definition);
  const auto execution =
      client.call("StartExecution", {{"stateMachineArn", sm}})["executionArn"].get<std::string>();
  const auto described = describe_when_closed(client, execution);
  CHECK(described["status"] == "FAILED");
  CHECK(described["error"] == "States.DataLimitExceeded");
  CHECK_THAT(described["cause"].get<std::string>(), Catch::Contains("deeper than 1000 levels"));
  // Long before the history quota: two events per pass.
  CHECK(history_of(client, execution).size() < 2'100);
}

TEST_CASE("a loop of slow states holds neither StartExecution, its own calls nor others' timers",
          "[http][hostile]") {
  HttpFixture f(sliced_options());
  auto client = f.client();
  // Each pass evaluates an expression that takes milliseconds: thousands of
  // passes before the history quota. Run in one call under the execution's
  // lock (on the timer thread, after a Wait), such a loop kept StartExecution
  // from answering, DescribeExecution and StopExecution of it waiting, and
  // every other execution's Wait from ending.
  const std::string slow_loop = R"({"QueryLanguage": "JSONata", "StartAt": "Again",
      "States": {"Again": {"Type": "Pass", "Output": "{% $count([1..200000]) %}",
      "Next": "Again"}}})";
  const std::string after_wait = R"({"QueryLanguage": "JSONata", "StartAt": "Nap", "States": {
      "Nap": {"Type": "Wait", "Seconds": 0, "Next": "Again"},
      "Again": {"Type": "Pass", "Output": "{% $count([1..200000]) %}", "Next": "Again"}}})";
  const std::string short_wait =
      R"({"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 1, "End": true}}})";
  const auto loop = create_state_machine(client, "slow-loop", slow_loop);
  const auto timed_loop = create_state_machine(client, "slow-loop-after-wait", after_wait);
  const auto waiter = create_state_machine(client, "short-wait", short_wait);

  // StartExecution answers while the loop runs on. Bounded here so that an
  // engine that runs the loop inside the call fails instead of hanging.
  auto started = std::async(std::launch::async, [&] {
    auto own = f.client();
    return own.call("StartExecution", {{"stateMachineArn", loop}})["executionArn"]
        .get<std::string>();
  });
  REQUIRE(started.wait_for(60s) == std::future_status::ready);
  const auto looping = started.get();
  const auto timed_looping =
      client.call("StartExecution", {{"stateMachineArn", timed_loop}})["executionArn"]
          .get<std::string>();
  std::this_thread::sleep_for(500ms);

  // Another execution's Wait ends while both loops run.
  const auto waiting = client.call("StartExecution", {{"stateMachineArn", waiter}})["executionArn"]
                           .get<std::string>();
  const auto waited = describe_when_closed(client, waiting);
  CHECK(waited["status"] == "SUCCEEDED");

  // The loops' own calls are answered and stop them.
  for (const auto& execution : {looping, timed_looping}) {
    CHECK(client.call("DescribeExecution", {{"executionArn", execution}})["status"] == "RUNNING");
    CHECK(history_of(client, execution).size() > 2);
    client.call("StopExecution", {{"executionArn", execution}, {"error", "Runaway"}});
    const auto stopped = client.call("DescribeExecution", {{"executionArn", execution}});
    CHECK(stopped["status"] == "ABORTED");
    CHECK(stopped["error"] == "Runaway");
    const auto events = history_of(client, execution);
    CHECK(events.back()["type"] == "ExecutionAborted");
  }
}

TEST_CASE("Resources of hundreds of KB are refused or fail their task, and the server stays up",
          "[http][hostile]") {
  HttpFixture f;
  auto client = f.client();
  const auto task_state = [](const std::string& resource) {
    return R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ")" + resource +
           R"(", "End": true}}})";
  };
  const std::string tail(600'000, 'x');
  // std::regex's recursive matcher overflowed the stack on these: the
  // validator's check of lambda's actions, and at run time the check for
  // states:startExecution.
  const auto refused = aws_error([&] {
    create_state_machine(client, "long-lambda",
                         task_state("arn:aws:states:::lambda:invoke" + tail));
  });
  CHECK(refused.type() == "InvalidDefinition");
  CHECK_THAT(refused.message(), Catch::Contains("is not recognized"));

  for (const auto& resource : {"arn:aws:states:::states:startExecution." + tail,
                               "arn:aws:states:::someservice:act" + tail}) {
    const auto sm = create_state_machine(client, "long", task_state(resource));
    const auto execution =
        client.call("StartExecution", {{"stateMachineArn", sm}})["executionArn"].get<std::string>();
    const auto described = describe_when_closed(client, execution);
    CHECK(described["status"] == "FAILED");
    CHECK(described["error"] == "States.Runtime");
    client.call("DeleteStateMachine", {{"stateMachineArn", sm}});
  }
  CHECK(client.call("ListActivities", nlohmann::json::object()).contains("activities"));
}

TEST_CASE("intrinsic calls and filters nested 30,000 deep are refused, and the server stays up",
          "[http][hostile]") {
  HttpFixture f;
  auto client = f.client();
  std::string calls;
  for (int i = 0; i < 30'000; ++i) calls += "States.JsonToString(";
  calls += "$" + std::string(30'000, ')');
  const std::string filter =
      "$[?(" + std::string(30'000, '(') + "@.a" + std::string(30'000, ')') + ")]";
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"Parameters", R"({"v.$": ")" + calls + R"("})"}, {"InputPath", '"' + filter + '"'}};
  for (const auto& entry : fields) {
    const auto& field = entry.first;
    const auto& value = entry.second;
    INFO(field);
    const auto error = aws_error([&] {
      create_state_machine(client, "deep-" + field,
                           R"({"StartAt": "P", "States": {"P": {"Type": "Pass", ")" + field +
                               "\": " + value + R"(, "End": true}}})");
    });
    CHECK(error.type() == "InvalidDefinition");
    CHECK(client.call("ListActivities", nlohmann::json::object()).contains("activities"));
  }
}

TEST_CASE("a chunked body past the request limit is refused with 413", "[http][hostile]") {
  HttpFixture f;
  RawConnection connection(f.port);
  REQUIRE(connection.send_all(
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\n"
      "Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\n"));
  // 4 MiB in 64 KiB chunks, four times the limit; the server stops reading
  // after the first MiB, so a send may fail once it has closed.
  const std::string chunk(64 * 1024, ' ');
  std::string framed = "10000\r\n" + chunk + "\r\n";
  int sent_chunks = 0;
  for (; sent_chunks < 64; ++sent_chunks) {
    if (!connection.send_all(framed)) break;
  }
  if (sent_chunks == 64) connection.send_all("0\r\n\r\n");
  const auto response = connection.read_all();
  CHECK_THAT(response, Catch::StartsWith("HTTP/1.1 413"));
  CHECK_THAT(response, Catch::Contains("RequestEntityTooLargeException"));

  auto client = f.client();
  CHECK(client.call("ListActivities", nlohmann::json::object()).contains("activities"));
}

TEST_CASE("bytes that are not UTF-8 or not a number get AWS's 400 errors, never a 500",
          "[http][hostile]") {
  HttpFixture f;
  SECTION("in the X-Amz-Target header") {
    RawConnection connection(f.port);
    REQUIRE(connection.send_all(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.\xff\xfe\r\n"
        "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n"
        "Connection: close\r\n\r\n{}"));
    const auto response = connection.read_all();
    CHECK_THAT(response, Catch::StartsWith("HTTP/1.1 400"));
    CHECK_THAT(response, Catch::Contains("UnknownOperationException"));
  }
  SECTION("a number beyond a double (found by fuzz/request_fuzzer)") {
    const auto result = f.post("AWSStepFunctions.ListExecutions", "911E11111110");
    check_error_shape(result, 400, "SerializationException");
    CHECK_THAT(result->body, !Catch::Contains("json.exception"));
  }
  SECTION("in the body") {
    const auto result = f.post("AWSStepFunctions.CreateActivity", "{\"name\": \"a\xc3\x28\"}");
    check_error_shape(result, 400, "SerializationException");
    CHECK_THAT(result->body, !Catch::Contains("json.exception"));
  }
  auto client = f.client();
  CHECK(client.call("ListActivities", nlohmann::json::object()).contains("activities"));
}

TEST_CASE("hundreds of long polls and idle connections leave other calls served",
          "[http][hostile][long-poll]") {
  HttpFixture f(fast_options(20s));
  auto client = f.client();
  const auto activity =
      client.call("CreateActivity", {{"name", "idle"}})["activityArn"].get<std::string>();

  // 300 GetActivityTask long polls (each holds its connection for 20 s) and
  // 300 connections that never send a request: more than a fixed pool of
  // 128 request threads, which left every other call waiting.
  const std::string poll_body = nlohmann::json{{"activityArn", activity}}.dump();
  const std::string poll =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.GetActivityTask\r\n"
      "Content-Type: application/x-amz-json-1.0\r\nContent-Length: " +
      std::to_string(poll_body.size()) + "\r\n\r\n" + poll_body;
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 300; ++i) {
    held.push_back(std::make_unique<RawConnection>(f.port));
    REQUIRE(held.back()->send_all(poll));
  }
  for (int i = 0; i < 300; ++i) held.push_back(std::make_unique<RawConnection>(f.port));

  // Ordinary calls on fresh connections are answered while all of those wait
  // (the client gives up after its own timeout otherwise).
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    auto fresh = f.client();
    CHECK(fresh.call("ListActivities", nlohmann::json::object())["activities"].size() == 1);
  }
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  held.clear();
  f.server.stop();
}

TEST_CASE("a Range header gets the whole answer once, never a copy per range", "[http][hostile]") {
  HttpFixture f;
  auto client = f.client();
  for (int i = 0; i < 20; ++i) client.call("CreateActivity", {{"name", "a" + std::to_string(i)}});
  const auto plain = f.post("AWSStepFunctions.ListActivities", "{}");
  REQUIRE(plain);
  REQUIRE(plain->status == 200);
  // 2,000 ranges over the answer: httplib used to send 2,000 copies of it.
  std::string ranges = "bytes=0-";
  for (int i = 0; i < 1999; ++i) ranges += ",0-";
  RawConnection connection(f.port);
  REQUIRE(connection.send_all(
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\n"
      "Content-Type: application/x-amz-json-1.0\r\nRange: " +
      ranges + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));
  const auto response = connection.read_all();
  CHECK_THAT(response, Catch::StartsWith("HTTP/1.1 200"));
  CHECK_THAT(response, !Catch::Contains("multipart/byteranges"));
  CHECK(response.size() < plain->body.size() + 1000);
  CHECK_THAT(response, Catch::EndsWith(plain->body));
}

TEST_CASE(
    "chained JSONPath descents fail the state with States.DataLimitExceeded, in bounded memory",
    "[http][hostile]") {
  HttpFixture f;
  auto client = f.client();
  // 900 bytes of input whose `$..a..a..a` once took gigabytes of copies.
  std::string input = "1";
  for (int level = 0; level < 200; ++level) input = R"({"a":)" + input + "}";
  const auto machine = create_state_machine(client, "descents", R"({"StartAt":"P","States":{"P":{
      "Type":"Pass","Parameters":{"r.$":"$..a..a..a"},"OutputPath":"$.r[0]","End":true}}})");
  const auto execution = client.call(
      "StartExecution", {{"stateMachineArn", machine}, {"input", input}})["executionArn"];
  const auto described = describe_when_closed(client, execution.get<std::string>());
  CHECK(described["status"] == "FAILED");
  CHECK(described["error"] == "States.DataLimitExceeded");
  CHECK(client.call("ListActivities", nlohmann::json::object()).contains("activities"));
}

TEST_CASE("DescribeExecution and ListExecutions answer while a step evaluates for seconds",
          "[http][hostile]") {
  // One JSONata expression may run to its time bound (10 s; 2 s here) under
  // its execution's lock; these calls once waited for it (ListExecutions 30 s
  // behind six such executions). AWS answers them at once.
  const auto saved = jsonata::limits();
  jsonata::set_limits({std::chrono::milliseconds(2000)});
  HttpFixture f;
  auto client = f.client();
  const auto machine = create_state_machine(client, "slow-step", R"({"QueryLanguage": "JSONata",
      "StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 1, "Next": "Spin"},
      "Spin": {"Type": "Pass", "Output": "{% ($f := function($n){ $f($n + 1) }; $f(0)) %}",
      "End": true}}})");
  const auto execution =
      client.call("StartExecution", {{"stateMachineArn", machine}})["executionArn"]
          .get<std::string>();
  // The Wait's timer starts the step a second later, off the API's threads.
  std::this_thread::sleep_for(1500ms);
  // Still RUNNING: had the call waited for the step, it would see it failed.
  CHECK(client.call("DescribeExecution", {{"executionArn", execution}})["status"] == "RUNNING");
  const auto listed = client.call("ListExecutions", {{"stateMachineArn", machine}});
  REQUIRE(listed["executions"].size() == 1);
  CHECK(listed["executions"][0]["status"] == "RUNNING");
  const auto closed = describe_when_closed(client, execution);
  CHECK(closed["status"] == "FAILED");
  CHECK(closed["error"] == "States.QueryEvaluationError");
  CHECK(client.call("ListExecutions", {{"stateMachineArn", machine}})["executions"][0]["status"] ==
        "FAILED");
  jsonata::set_limits(saved);
}
