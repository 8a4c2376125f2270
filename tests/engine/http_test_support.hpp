#pragma once

// A real HttpServer on an ephemeral loopback port, and helpers to call it
// through loveless::aws::JsonClient or raw requests.

#include <functional>
#include <string>
#include <utility>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"

#include "engine_test_support.hpp"

namespace loveless::engine::testing {

inline constexpr const char* kJson10 = "application/x-amz-json-1.0";

struct HttpFixture {
  explicit HttpFixture(ServiceOptions options = fast_options())
      : service(std::move(options)), server(service) {
    port = server.start("127.0.0.1", 0);
  }
  aws::JsonClient client() {
    aws::JsonClientOptions options;
    options.endpoint = server.url();
    return aws::JsonClient(options);
  }
  /// A raw POST; `target` empty sends no X-Amz-Target.
  httplib::Result post(const std::string& target, const std::string& body) {
    httplib::Client raw("127.0.0.1", port);
    httplib::Headers headers;
    if (!target.empty()) headers.emplace("X-Amz-Target", target);
    return raw.Post("/", headers, body, kJson10);
  }

  StepFunctionsService service;
  HttpServer server;
  int port = 0;
};

inline aws::AwsError aws_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const aws::AwsError& e) {
    return e;
  }
  FAIL("expected an AwsError");
  return aws::AwsError("", "", 0);
}

inline void check_error_shape(const httplib::Result& result, int status, const std::string& type) {
  REQUIRE(result);
  CHECK(result->status == status);
  CHECK(result->get_header_value("Content-Type") == kJson10);
  const auto body = nlohmann::json::parse(result->body);
  CHECK(body["__type"] == type);
  CHECK(body["message"].is_string());
}

}  // namespace loveless::engine::testing
