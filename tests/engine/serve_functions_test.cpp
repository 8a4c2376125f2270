// `loveless serve --function echo=<echo-function>` as a user runs it: a child
// process driven over HTTP, then SIGTERM, after which no environment survives.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/aws/json_client.hpp"

#include "serve_process.hpp"
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace std::chrono_literals;
using loveless::engine::testing::ServeProcess;

namespace {

constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/loveless-test";

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("loveless serve --function hosts a Lambda function on child processes",
          "[engine][lambda][cli]") {
  ServeProcess serve({LOVELESS_BINARY, "serve", "--port", "0", "--function",
                      std::string("echo=") + ECHO_FUNCTION_BINARY});
  loveless::aws::JsonClientOptions options;
  options.endpoint = serve.url();
  loveless::aws::JsonClient client(options);

  const auto sm = client
                      .call("CreateStateMachine",
                            {{"name", "echoes"},
                             {"roleArn", kRoleArn},
                             {"definition", R"({"StartAt": "E", "States": {"E": {"Type": "Task",
                   "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "echo", "Payload.$": "$"},
                   "ResultSelector": {"result.$": "$.Payload"}, "End": true}}})"}})
                          ["stateMachineArn"]
                      .get<std::string>();

  const auto run = [&](const std::string& name, const std::string& input) {
    const auto arn =
        client
            .call("StartExecution",
                  {{"stateMachineArn", sm}, {"name", name}, {"input", input}})["executionArn"]
            .get<std::string>();
    nlohmann::json described;
    for (int i = 0; i < 500; ++i) {
      described = client.call("DescribeExecution", {{"executionArn", arn}});
      if (described["status"] != "RUNNING") break;
      std::this_thread::sleep_for(20ms);
    }
    return described;
  };

  const auto first = run("one", R"({"n": 1})");
  REQUIRE(first["status"] == "SUCCEEDED");
  const auto result = nlohmann::json::parse(first["output"].get<std::string>())["result"];
  CHECK(result["echo"] == nlohmann::json{{"n", 1}});
  CHECK(result["worker"] == "echo-1");
  CHECK(result["function"] == "echo");
  // Its own scratch: the private /tmp the fleet binds it over, or (where the
  // machine gives no private /tmp) the scratch directory named after it.
  const auto tmpdir = result["tmpdir"].get<std::string>();
  CHECK((tmpdir == "/tmp" || tmpdir.find("echo-1") != std::string::npos));

  // Warm reuse, then a function error, then a crash that the next run survives.
  CHECK(nlohmann::json::parse(run("two", "{}")["output"].get<std::string>())["result"]["worker"] ==
        "echo-1");
  const auto failed = run("three", R"({"fail": true})");
  CHECK(failed["status"] == "FAILED");
  CHECK(failed["error"] == "EchoError");
  const auto crashed = run("four", R"({"exit": true})");
  CHECK(crashed["status"] == "FAILED");
  CHECK(crashed["error"] == "Lambda.Unknown");
  const auto after = run("five", "{}");
  REQUIRE(after["status"] == "SUCCEEDED");
  CHECK(nlohmann::json::parse(after["output"].get<std::string>())["result"]["worker"] == "echo-2");

  // SIGTERM: the command exits 0 and leaves no environment behind.
  const auto serve_pid = serve.pid();
  const auto status = serve.terminate();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_FALSE(process_alive(serve_pid));
  // Environments run in process groups of their own; none may survive.
  bool survivor = false;
  FILE* ps = ::popen("ps -eo args=", "r");
  REQUIRE(ps != nullptr);
  char line[1024];
  while (std::fgets(line, sizeof line, ps) != nullptr) {
    if (std::string(line).find(ECHO_FUNCTION_BINARY) != std::string::npos) survivor = true;
  }
  ::pclose(ps);
  CHECK_FALSE(survivor);
}

TEST_CASE("SIGTERM ends loveless serve within seconds even while a client trickles a request",
          "[engine][cli]") {
  ServeProcess serve({LOVELESS_BINARY, "serve", "--port", "0"});
  const auto port = std::stoi(serve.url().substr(serve.url().rfind(':') + 1));
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  // One header byte a second, never a whole request: the server's read
  // timeout (per read) never fires, so the thread serving it never returns.
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    const std::string request = "POST / HTTP/1.1\r\nX-Amz-Target: AWSStepFunctions.ListActivities";
    for (std::size_t i = 0; i < request.size() && !done.load(); ++i) {
      if (::send(sock, &request[i], 1, MSG_NOSIGNAL) != 1) break;
      std::this_thread::sleep_for(1s);
    }
  });
  std::this_thread::sleep_for(2s);

  ::kill(serve.pid(), SIGTERM);
  const auto signalled = std::chrono::steady_clock::now();
  int status = 0;
  pid_t ended = 0;
  while (ended == 0 && std::chrono::steady_clock::now() - signalled < 30s) {
    ended = ::waitpid(serve.pid(), &status, WNOHANG);
    if (ended == 0) std::this_thread::sleep_for(50ms);
  }
  const auto took = std::chrono::steady_clock::now() - signalled;
  done = true;
  trickle.join();
  ::close(sock);
  REQUIRE(ended == serve.pid());
  serve.forget();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // The grace is 5 s (docs/cli.md); a loaded machine may add a little.
  CHECK(took < 15s);
}
