// ServiceClient against loopback servers: the awsJson and restJson1 shapes,
// signatures a server can verify, error decoding, endpoint resolution, and the
// standard retry mode (attempts, delays, quota) with an injected sleep and
// random source.
#include "loveless/aws/service_client.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "client_test_helpers.hpp"
#include "loopback_server.hpp"

using namespace loveless::aws;
using loveless::aws::testing::env_of;
using loveless::aws::testing::LoopbackServer;
using namespace std::chrono_literals;

namespace {

Credentials keys() {
  return {"AKIDLOOPBACK", "loopback-secret", "session-token", std::nullopt, "static"};
}

SignableRequest received(const httplib::Request& request) {
  SignableRequest out;
  out.method = request.method;
  // As on the wire: cpp-httplib's `path` is decoded.
  out.path = request.target.substr(0, request.target.find('?'));
  for (const auto& [name, value] : request.params) out.query.emplace_back(name, value);
  for (const auto& [name, value] : request.headers) {
    // cpp-httplib adds these itself; they were not sent.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT") {
      continue;
    }
    out.headers.emplace_back(name, value);
  }
  out.body = request.body;
  return out;
}

// Records delays instead of sleeping; a fixed "random" value.
struct RecordedRetries {
  std::vector<std::chrono::milliseconds> delays;
  RetryOptions options(double random = 0.5) {
    RetryOptions retry;
    retry.random = [random] { return random; };
    retry.sleep = [this](std::chrono::milliseconds delay) { delays.push_back(delay); };
    return retry;
  }
};

ServiceClientOptions options_for(const std::string& endpoint, RetryOptions retry = {}) {
  ServiceClientOptions options;
  options.service = kEcs;
  options.region = "eu-west-1";
  options.endpoint = endpoint;
  options.credentials = static_credentials(keys());
  options.retry = std::move(retry);
  options.env = env_of({});
  options.connect_timeout = 2s;
  options.read_timeout = 5s;
  return options;
}

AwsError aws_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const AwsError& e) {
    return e;
  }
  FAIL("expected an AwsError");
  return {"", "", 0};
}

}  // namespace

TEST_CASE("json_call sends a signed awsJson request the server can verify", "[service_client]") {
  std::mutex mutex;
  SignatureCheck check;
  std::string target;
  std::string content_type;
  LoopbackServer server([&](httplib::Server& s) {
    s.Post("/", [&](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex);
      check = verify_signature(
          received(request),
          [](std::string_view id) -> std::optional<std::string> {
            if (id == "AKIDLOOPBACK") return "loopback-secret";
            return std::nullopt;
          },
          "ecs", std::chrono::system_clock::now());
      target = request.get_header_value("X-Amz-Target");
      content_type = request.get_header_value("Content-Type");
      response.set_content(R"({"task":{"lastStatus":"STOPPED"}})", "application/x-amz-json-1.1");
    });
  });
  ServiceClient client(options_for(server.url()));
  const auto answer = client.json_call("AmazonEC2ContainerServiceV20141113.StopTask", "1.1",
                                       {{"cluster", "c"}, {"task", "t/1"}});
  CHECK(answer["task"]["lastStatus"] == "STOPPED");
  std::lock_guard lock(mutex);
  CHECK(check.ok());
  CHECK(check.message.empty());
  CHECK(target == "AmazonEC2ContainerServiceV20141113.StopTask");
  CHECK(content_type == "application/x-amz-json-1.1");
  CHECK(client.last_attempts() == 1);
}

TEST_CASE("rest_call sends method, encoded path, query and JSON body, all signed",
          "[service_client]") {
  std::mutex mutex;
  std::vector<std::string> seen;
  bool verified = true;
  LoopbackServer server([&](httplib::Server& s) {
    const auto handler = [&](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex);
      verified = verified &&
                 verify_signature(
                     received(request),
                     [](std::string_view) { return std::optional<std::string>("loopback-secret"); },
                     "ecs", std::chrono::system_clock::now())
                     .ok();
      seen.push_back(request.method + " " + request.target + " " +
                     request.get_header_value("Content-Type") + " " + request.body);
      if (request.method == "DELETE") {
        response.status = 204;
        return;
      }
      response.set_content(R"({"ok":true})", "application/json");
    };
    s.Get(".*", handler);
    s.Put(".*", handler);
    s.Delete(".*", handler);
  });
  ServiceClient client(options_for(server.url()));
  CHECK(client.rest_call("GET", "/2015-03-31/functions/my%3Afn/configuration",
                         {{"Qualifier", "$LATEST"}, {"a b", "c/d"}}, std::nullopt)["ok"] == true);
  CHECK(client.rest_call("PUT", "/2015-03-31/functions/fn/concurrency", {},
                         nlohmann::json{{"ReservedConcurrentExecutions", 0}})["ok"] == true);
  CHECK(client.rest_call("DELETE", "/experimentTemplates/EXT1", {}, std::nullopt).empty());
  std::lock_guard lock(mutex);
  CHECK(verified);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] ==
        "GET /2015-03-31/functions/my%3Afn/configuration?Qualifier=%24LATEST&a%20b=c%2Fd  ");
  CHECK(
      seen[1] ==
      R"(PUT /2015-03-31/functions/fn/concurrency application/json {"ReservedConcurrentExecutions":0})");
  CHECK(seen[2] == "DELETE /experimentTemplates/EXT1  ");
}

TEST_CASE("Error answers become AwsError with the type from __type, header or code",
          "[service_client]") {
  LoopbackServer server([](httplib::Server& s) {
    s.Post("/", [](const httplib::Request& request, httplib::Response& response) {
      response.status = 400;
      const auto which = request.get_header_value("X-Amz-Target");
      if (which == "T.Qualified") {
        response.set_content(
            R"({"__type":"com.amazonaws.ecs#ClusterNotFoundException:http://x","message":"no cluster"})",
            "application/json");
      } else if (which == "T.Header") {
        response.status = 404;
        response.set_header("x-amzn-ErrorType", "ResourceNotFoundException:http://internal/");
        response.set_content(R"({"Message":"Function not found"})", "application/json");
      } else if (which == "T.Code") {
        response.set_content(R"({"code":"ValidationException","message":"bad"})",
                             "application/json");
      } else {
        response.status = 403;
        response.set_content("<html>denied</html>", "text/html");
      }
    });
  });
  ServiceClient client(options_for(server.url()));
  auto e = aws_error([&] { client.json_call("T.Qualified", "1.1", {}); });
  CHECK(e.type() == "ClusterNotFoundException");
  CHECK(e.message() == "no cluster");
  CHECK(e.http_status() == 400);
  e = aws_error([&] { client.json_call("T.Header", "1.1", {}); });
  CHECK(e.type() == "ResourceNotFoundException");
  CHECK(e.message() == "Function not found");
  CHECK(e.http_status() == 404);
  e = aws_error([&] { client.json_call("T.Code", "1.1", {}); });
  CHECK(e.type() == "ValidationException");
  e = aws_error([&] { client.json_call("T.Other", "1.1", {}); });
  CHECK(e.type() == "HttpStatus403");
  CHECK(e.message() == "<html>denied</html>");
}

TEST_CASE("A refused connection is a NetworkError naming the endpoint", "[service_client]") {
  int port = 0;
  {
    LoopbackServer gone([](httplib::Server&) {});
    port = gone.port();
  }
  RecordedRetries retries;
  ServiceClient client(options_for("http://127.0.0.1:" + std::to_string(port), retries.options()));
  const auto e = aws_error([&] { client.json_call("T.X", "1.0", {}); });
  CHECK(e.type() == "NetworkError");
  CHECK(e.http_status() == 0);
  CHECK(e.message().starts_with("http://127.0.0.1:" + std::to_string(port) + ": connect"));
  // Connection failures are retried as the SDKs retry them.
  CHECK(client.last_attempts() == 3);
  CHECK(retries.delays.size() == 2);
}

TEST_CASE("resolve_endpoint follows the SDKs' endpoint settings", "[service_client]") {
  ServiceClientOptions options;
  options.service = kLambda;
  options.region = "ap-southeast-2";
  options.env = env_of({});
  CHECK(resolve_endpoint(options) == "https://lambda.ap-southeast-2.amazonaws.com");
  options.env = env_of({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}});
  CHECK(resolve_endpoint(options) == "http://127.0.0.1:4566");
  options.env = env_of({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                        {"AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9001"}});
  CHECK(resolve_endpoint(options) == "http://127.0.0.1:9001");
  options.endpoint = "http://127.0.0.1:1";
  CHECK(resolve_endpoint(options) == "http://127.0.0.1:1");
  CHECK(kStepFunctions.signing_name == "states");
  CHECK(kCloudWatch.endpoint_prefix == "monitoring");
  CHECK(kCloudWatch.env_id == "CLOUDWATCH");
  CHECK(kFis.env_id == "FIS");
}

namespace {

// Answers ThrottlingException (or `error`) `failures` times, then success.
struct FlakyServer {
  explicit FlakyServer(int failures, const std::string& error = "ThrottlingException",
                       int status = 400)
      : server([this, failures, error, status](httplib::Server& s) {
          s.Post("/", [this, failures, error, status](const httplib::Request&,
                                                      httplib::Response& response) {
            if (calls.fetch_add(1) < failures) {
              response.status = status;
              response.set_content(R"({"__type":")" + error + R"(","message":"slow down"})",
                                   "application/x-amz-json-1.0");
              return;
            }
            response.set_content(R"({"done":true})", "application/x-amz-json-1.0");
          });
        }) {}
  std::atomic<int> calls{0};
  LoopbackServer server;
};

}  // namespace

TEST_CASE("Throttling is retried with delays within the standard mode's bounds", "[retry]") {
  FlakyServer flaky(2);
  RecordedRetries retries;
  auto quota = std::make_shared<RetryQuota>();
  auto retry = retries.options(0.75);
  retry.quota = quota;
  ServiceClient client(options_for(flaky.server.url(), retry));
  CHECK(client.json_call("T.X", "1.0", {})["done"] == true);
  CHECK(flaky.calls == 3);
  CHECK(client.last_attempts() == 3);
  REQUIRE(retries.delays.size() == 2);
  // min(0.75 * 2^attempt s, 20 s)
  CHECK(retries.delays[0] == 1500ms);
  CHECK(retries.delays[1] == 3000ms);
  // Two retries took 5 each; the success gave the last 5 back.
  CHECK(quota->available() == RetryQuota::kInitial - 5);
}

TEST_CASE("Retries stop at max attempts, and AWS_MAX_ATTEMPTS sets it", "[retry]") {
  SECTION("default 3 attempts") {
    FlakyServer flaky(10, "ServiceUnavailable", 503);
    RecordedRetries retries;
    ServiceClient client(options_for(flaky.server.url(), retries.options()));
    CHECK(aws_error([&] { client.json_call("T.X", "1.0", {}); }).type() == "ServiceUnavailable");
    CHECK(flaky.calls == 3);
  }
  SECTION("AWS_MAX_ATTEMPTS=5") {
    FlakyServer flaky(10, "RequestLimitExceeded");
    RecordedRetries retries;
    auto options = options_for(flaky.server.url(), retries.options(0.999));
    options.env = env_of({{"AWS_MAX_ATTEMPTS", "5"}});
    ServiceClient client(options);
    CHECK(aws_error([&] { client.json_call("T.X", "1.0", {}); }).type() == "RequestLimitExceeded");
    CHECK(flaky.calls == 5);
    REQUIRE(retries.delays.size() == 4);
    CHECK(retries.delays[3] == 15984ms);  // 0.999 * 16 s
  }
  SECTION("the cap is 20 s") {
    CHECK(retry_delay(5, 0.999, 20s) == 20s);
    CHECK(retry_delay(1, 0.0, 20s) == 0ms);
    for (int attempt = 1; attempt < 10; ++attempt) {
      CHECK(retry_delay(attempt, 0.5, 20s) <= 20s);
    }
  }
}

TEST_CASE("Errors that are not retryable are not retried", "[retry]") {
  FlakyServer flaky(10, "AccessDeniedException");
  RecordedRetries retries;
  ServiceClient client(options_for(flaky.server.url(), retries.options()));
  CHECK(aws_error([&] { client.json_call("T.X", "1.0", {}); }).type() == "AccessDeniedException");
  CHECK(flaky.calls == 1);
  CHECK(retries.delays.empty());
}

TEST_CASE("An exhausted retry quota stops retrying", "[retry]") {
  FlakyServer flaky(100);
  RecordedRetries retries;
  auto retry = retries.options();
  retry.quota = std::make_shared<RetryQuota>(7);  // one retry's worth
  ServiceClient client(options_for(flaky.server.url(), retry));
  CHECK(aws_error([&] { client.json_call("T.X", "1.0", {}); }).type() == "ThrottlingException");
  CHECK(flaky.calls == 2);
  CHECK(retry.quota->available() == 2);
  CHECK_FALSE(retry.quota->acquire(RetryKind::kThrottling));
  RetryQuota full;
  full.release(0);
  CHECK(full.available() == RetryQuota::kInitial);
  CHECK(full.acquire(RetryKind::kTimeout));
  CHECK(full.available() == RetryQuota::kInitial - RetryQuota::kTimeoutCost);
}

TEST_CASE("classify_error knows the standard mode's codes and statuses", "[retry]") {
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"}) {
    INFO(code);
    CHECK(classify_error(code, 400) == RetryKind::kThrottling);
  }
  CHECK(classify_error("RequestTimeout", 400) == RetryKind::kTimeout);
  CHECK(classify_error("RequestTimeoutException", 408) == RetryKind::kTimeout);
  CHECK(classify_error("InternalError", 500) == RetryKind::kTransient);
  CHECK(classify_error("ServiceUnavailable", 503) == RetryKind::kTransient);
  for (const int status : {500, 502, 503, 504}) {
    CHECK(classify_error("HttpStatus" + std::to_string(status), status) == RetryKind::kTransient);
  }
  CHECK(classify_error("NetworkError", 0) == RetryKind::kTransient);
  CHECK(classify_error("NetworkError", 0, true) == RetryKind::kTimeout);
  CHECK(classify_error("ValidationException", 400) == RetryKind::kNone);
  CHECK(classify_error("HttpStatus501", 501) == RetryKind::kNone);
}

TEST_CASE("JsonClient retries throttling but not a refused connection", "[retry][json_client]") {
  FlakyServer flaky(2);
  RecordedRetries retries;
  JsonClientOptions options;
  options.endpoint = flaky.server.url();
  options.region = "us-east-1";
  options.credentials = static_credentials(keys());
  options.retry = retries.options();
  JsonClient client(options);
  CHECK(client.call("ListActivities", {})["done"] == true);
  CHECK(flaky.calls == 3);
  CHECK(retries.delays.size() == 2);

  int port = 0;
  {
    LoopbackServer gone([](httplib::Server&) {});
    port = gone.port();
  }
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  RecordedRetries none;
  options.retry = none.options();
  JsonClient unreachable(options);
  CHECK(aws_error([&] { unreachable.call("ListActivities", {}); }).type() == "NetworkError");
  CHECK(none.delays.empty());
}
