// The lambda:invoke integration's request and response shapes, as recorded on
// AWS (tests/fidelity/cases/lambda and errors hold the recordings).

#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lambda_invoke_response.hpp"
#include "loveless/asl/base64.hpp"

using loveless::engine::compact_json_text;
using loveless::engine::invoke_event;
using loveless::engine::invoke_response;
using loveless::engine::platform_log_tail;
using nlohmann::json;

TEST_CASE("lambda:invoke: the event sent for each kind of Payload", "[engine][lambda]") {
  CHECK(invoke_event(nullptr) == "{}");
  const json null_payload = nullptr;
  CHECK(invoke_event(&null_payload) == "{}");
  // A string is sent as its own text: "[1]" arrives as the array.
  const json text = "[1]";
  CHECK(invoke_event(&text) == "[1]");
  const json object = {{"a", 1}};
  CHECK(invoke_event(&object) == R"({"a":1})");
}

TEST_CASE("lambda:invoke: an error payload is recorded compactly, member order kept",
          "[engine][lambda]") {
  CHECK(compact_json_text(R"({"z": 1, "a": [1, 2], "m": {"k": "v w"}})") ==
        R"({"z":1,"a":[1,2],"m":{"k":"v w"}})");
  CHECK(compact_json_text("not json {") == "not json {");
  // Nested past the engine's depth bound: kept as it came rather than recursed into.
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  CHECK(compact_json_text(deep) == deep);
}

TEST_CASE("lambda:invoke: the Invoke response carries the recorded SDK metadata",
          "[engine][lambda]") {
  const auto response = invoke_response(json{{"r", 1}}, 7, "req-1", "Root=1-a-b");
  CHECK(response["ExecutedVersion"] == "$LATEST");
  CHECK(response["StatusCode"] == 200);
  CHECK(response["Payload"] == json{{"r", 1}});
  CHECK(response["SdkResponseMetadata"] == json{{"RequestId", "req-1"}});
  const auto& headers = response["SdkHttpMetadata"]["HttpHeaders"];
  CHECK(headers["Content-Length"] == "7");
  CHECK(headers["x-amzn-RequestId"] == "req-1");
  CHECK(headers["X-Amzn-Trace-Id"] == "Root=1-a-b");
  CHECK(response["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Length"] == json::array({"7"}));
  CHECK(!response.contains("LogResult"));

  const auto tail = platform_log_tail("req-1", std::chrono::milliseconds(12));
  const auto logged = invoke_response(json{}, 2, "req-1", "t", tail);
  CHECK(logged["LogResult"] == tail);
  CHECK(logged["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Log-Result"] == tail);
  const auto lines = loveless::asl::base64_decode(tail);
  REQUIRE(lines);
  CHECK(lines->find("START RequestId: req-1 Version: $LATEST") == 0);
  CHECK(lines->find("REPORT RequestId: req-1\tDuration: 12.00 ms") != std::string::npos);
}
