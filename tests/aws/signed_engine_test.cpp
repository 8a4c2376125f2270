// The engine (in process, on a loopback port) accepts requests that
// JsonClient signs with SigV4 and session-token credentials, as AWS Step
// Functions would, and unsigned ones as before.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"

#include "engine/engine_test_support.hpp"

using namespace loveless;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;

TEST_CASE("Signed StartExecution and DescribeExecution work against the engine",
          "[signed][engine]") {
  engine::StepFunctionsService service(fast_options());
  engine::HttpServer server(service);
  server.start("127.0.0.1", 0);

  aws::JsonClientOptions options;
  options.endpoint = server.url();
  options.region = "us-east-1";
  options.credentials = aws::static_credentials(
      {"ASIALOOPBACK", "loopback-secret", "FwoGZXIvYXdzEXAMPLETOKEN", std::nullopt, "static"});
  aws::JsonClient client(options);

  const auto machine = client
                           .call("CreateStateMachine", {{"name", "signed"},
                                                        {"definition", pass_definition()},
                                                        {"roleArn", kRoleArn}})["stateMachineArn"]
                           .get<std::string>();
  const auto execution =
      client.call("StartExecution", {{"stateMachineArn", machine}, {"input", "{}"}})["executionArn"]
          .get<std::string>();
  std::string status;
  REQUIRE(wait_until([&] {
    status = client.call("DescribeExecution", {{"executionArn", execution}})["status"];
    return status != "RUNNING";
  }));
  CHECK(status == "SUCCEEDED");

  // Unsigned, as the local stack calls it.
  aws::JsonClientOptions unsigned_options;
  unsigned_options.endpoint = server.url();
  aws::JsonClient plain(unsigned_options);
  CHECK(plain.call("DescribeExecution", {{"executionArn", execution}})["status"] == "SUCCEEDED");
}
