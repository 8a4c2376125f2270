#include <string>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "http_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;

namespace {

std::string create_express(HttpFixture& f) {
  const auto created = f.post("AWSStepFunctions.CreateStateMachine",
                              nlohmann::json{{"name", "fast"},
                                             {"definition", pass_definition()},
                                             {"roleArn", kRoleArn},
                                             {"type", "EXPRESS"}}
                                  .dump());
  REQUIRE(created);
  REQUIRE(created->status == 200);
  return nlohmann::json::parse(created->body)["stateMachineArn"];
}

httplib::Headers sync_headers() {
  return {{"X-Amz-Target", "AWSStepFunctions.StartSyncExecution"}};
}

}  // namespace

TEST_CASE("StartSyncExecution is served whatever the Host header says (the sync- prefix)",
          "[engine][http][express]") {
  HttpFixture f;
  const auto body = nlohmann::json{{"stateMachineArn", create_express(f)}}.dump();
  httplib::Client client("127.0.0.1", f.port);
  auto headers = sync_headers();
  // What an SDK sends after prefixing the endpoint's host.
  headers.emplace("Host", "sync-127.0.0.1:" + std::to_string(f.port));
  const auto result = client.Post("/", headers, body, kJson10);
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(nlohmann::json::parse(result->body)["status"] == "SUCCEEDED");
}

TEST_CASE("The engine answers requests sent to it as an HTTP proxy (HTTP_PROXY=engine URL)",
          "[engine][http][express]") {
  HttpFixture f;
  const auto body = nlohmann::json{{"stateMachineArn", create_express(f)}}.dump();
  // The client never resolves sync-127.0.0.1: it sends the absolute URL to the proxy.
  httplib::Client client("sync-127.0.0.1", f.port);
  client.set_proxy("127.0.0.1", f.port);
  const auto result = client.Post("/", sync_headers(), body, kJson10);
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(nlohmann::json::parse(result->body)["status"] == "SUCCEEDED");
}

TEST_CASE("No response carries a library's internal message", "[engine][http][hostile]") {
  HttpFixture f;
  const auto sm = nlohmann::json::parse(
      f.post("AWSStepFunctions.CreateStateMachine",
             nlohmann::json{
                 {"name", "orders"}, {"definition", pass_definition()}, {"roleArn", kRoleArn}}
                 .dump())
          ->body)["stateMachineArn"];
  const std::pair<const char*, std::string> requests[] = {
      {"ListStateMachines", R"({"maxResults": "x"})"},
      {"CreateStateMachine", R"({"name": 5, "definition": {}, "roleArn": []})"},
      {"CreateStateMachine", R"({"name": "n", "definition": "{\"StartAt\": ", "roleArn": "r"})"},
      {"StartExecution", nlohmann::json{{"stateMachineArn", sm}, {"input", "[1,"}}.dump()},
      {"TagResource", nlohmann::json{{"resourceArn", sm}, {"tags", {{{"key", {1}}}}}}.dump()},
      {"UpdateStateMachine",
       nlohmann::json{{"stateMachineArn", sm}, {"loggingConfiguration", {{"destinations", {5}}}}}
           .dump()},
      {"ValidateStateMachineDefinition", R"({"definition": "{]"})"},
      {"ListExecutions", R"([1, 2])"},
      {"DescribeExecution", R"("text")"},
      {"GetExecutionHistory",
       R"({"executionArn": "arn:aws:states:us-east-1:1:execution:a:b", "reverseOrder": "yes"})"},
  };
  for (const auto& [operation, body] : requests) {
    INFO(operation << " " << body);
    const auto result = f.post(std::string("AWSStepFunctions.") + operation, body);
    REQUIRE(result);
    CHECK(result->status != 500);
    CHECK(result->body.find("json.exception") == std::string::npos);
    CHECK(result->body.find("type_error") == std::string::npos);
    CHECK(result->body.find("parse_error") == std::string::npos);
  }
}
