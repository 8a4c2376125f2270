// SigV4 against the published AWS Signature Version 4 test suite
// (data/sigv4_test_suite.json, with its sources), and the verifier that
// servers and fakes use, with negative controls.
#include "loveless/aws/sigv4.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace loveless::aws;
using namespace std::chrono_literals;

namespace {

nlohmann::json suite() {
  std::ifstream file(LOVELESS_AWS_TEST_DATA "/sigv4_test_suite.json");
  REQUIRE(file);
  return nlohmann::json::parse(file);
}

// 2015-08-30T12:36:00Z, the suite's signing time.
std::chrono::system_clock::time_point suite_time() {
  return std::chrono::sys_days(std::chrono::year(2015) / 8 / 30) + 12h + 36min;
}

SignableRequest request_from(const nlohmann::json& entry) {
  SignableRequest request;
  request.method = entry.at("method");
  request.path = entry.at("path");
  for (const auto& pair : entry.at("query")) request.query.emplace_back(pair[0], pair[1]);
  for (const auto& pair : entry.at("headers")) request.headers.emplace_back(pair[0], pair[1]);
  request.body = entry.at("body");
  return request;
}

std::string header(const SignableRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return {};
}

Credentials suite_credentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "static"};
}

}  // namespace

TEST_CASE("sign_request matches every case of the AWS SigV4 test suite", "[sigv4]") {
  const auto data = suite();
  const SigningScope scope{"us-east-1", "service", suite_time()};
  REQUIRE(amz_date(scope.time) == "20150830T123600Z");
  REQUIRE(data.at("cases").size() >= 25);
  for (const auto& entry : data.at("cases")) {
    const std::string name = entry.at("name");
    INFO(name);
    auto request = request_from(entry);
    const auto canonical = canonical_request(request);
    const auto to_sign = string_to_sign(canonical, scope);
    if (entry.contains("canonical_request")) {
      CHECK(canonical == entry.at("canonical_request").get<std::string>());
      CHECK(to_sign == entry.at("string_to_sign").get<std::string>());
    }
    CHECK(to_sign ==
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
              sha256_hex(canonical));
    auto credentials = suite_credentials();
    if (auto token = header(request, "X-Amz-Security-Token"); !token.empty()) {
      credentials.session_token = token;
    }
    sign_request(request, credentials, scope);
    CHECK(header(request, "Authorization") == entry.at("authorization").get<std::string>());
  }
}

TEST_CASE("The signing key and the get-vanilla string to sign are the documented ones", "[sigv4]") {
  const SigningScope scope{"us-east-1", "service", suite_time()};
  SignableRequest request{
      "GET", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, ""};
  CHECK(sha256_hex(canonical_request(request)) ==
        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  const auto key = signing_key(suite_credentials().secret_access_key, scope);
  CHECK(key.size() == 32);
  CHECK(signature(key, string_to_sign(canonical_request(request), scope)) ==
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST_CASE("URI encoding keeps the unreserved characters and encodes every other byte", "[sigv4]") {
  CHECK(uri_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(uri_encode("a b+c/d=e&f") == "a%20b%2Bc%2Fd%3De%26f");
  CHECK(uri_encode("a b/c", true) == "a%20b/c");
  CHECK(uri_encode("\xe1\x88\xb4") == "%E1%88%B4");
  CHECK(uri_decode("a%20b%2Bc%zz%4") == "a b+c%zz%4");
  const auto query = parse_query("b=2&a=%20x&c&a=1");
  REQUIRE(query.size() == 4);
  CHECK(query[1] == std::pair<std::string, std::string>("a", " x"));
  CHECK(query[2] == std::pair<std::string, std::string>("c", ""));
}

TEST_CASE("A path already encoded is encoded once more as non-S3 services expect", "[sigv4]") {
  SignableRequest request{"GET",
                          "/2015-03-31/functions/my%3Afn/configuration",
                          {},
                          {{"host", "lambda.us-east-1.amazonaws.com"}},
                          ""};
  const auto canonical = canonical_request(request);
  CHECK(canonical.find("\n/2015-03-31/functions/my%253Afn/configuration\n") != std::string::npos);
}

TEST_CASE("sign_request needs a host header", "[sigv4]") {
  SignableRequest request{"GET", "/", {}, {}, ""};
  CHECK_THROWS_AS(sign_request(request, suite_credentials(), {"us-east-1", "states", suite_time()}),
                  std::invalid_argument);
}

namespace {

SignableRequest signed_request(const Credentials& credentials,
                               std::chrono::system_clock::time_point time) {
  SignableRequest request{"POST",
                          "/",
                          {{"b", "2"}, {"a", "x y"}},
                          {{"Host", "127.0.0.1:8083"},
                           {"Content-Type", "application/x-amz-json-1.0"},
                           {"X-Amz-Target", "AWSStepFunctions.ListActivities"}},
                          R"({"maxResults":3})"};
  sign_request(request, credentials, {"eu-west-1", "states", time});
  return request;
}

std::optional<std::string> known_secret(std::string_view id) {
  if (id == "AKIDEXAMPLE") return "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return std::nullopt;
}

void set(SignableRequest& request, std::string_view name, const std::string& value) {
  for (auto& [key, old] : request.headers) {
    if (key == name) old = value;
  }
}

}  // namespace

TEST_CASE("verify_signature accepts what sign_request signs and rejects tampering", "[sigv4]") {
  const auto now = suite_time();
  auto credentials = suite_credentials();

  SECTION("long-term and session credentials verify") {
    CHECK(verify_signature(signed_request(credentials, now), known_secret, "states", now).ok());
    credentials.session_token = "FQoGZXIvYXdzEXAMPLE";
    const auto check =
        verify_signature(signed_request(credentials, now), known_secret, "states", now + 14min);
    CHECK(check.ok());
    CHECK(check.access_key_id == "AKIDEXAMPLE");
  }
  SECTION("a tampered body") {
    auto request = signed_request(credentials, now);
    request.body = R"({"maxResults":4})";
    const auto check = verify_signature(request, known_secret, "states", now);
    CHECK(check.error_type == "InvalidSignatureException");
    CHECK(check.message.starts_with("The request signature we calculated does not match"));
    CHECK(check.http_status() == 403);
  }
  SECTION("a tampered signed header, query or session token") {
    auto request = signed_request(credentials, now);
    set(request, "X-Amz-Target", "AWSStepFunctions.DeleteActivity");
    CHECK(verify_signature(request, known_secret, "states", now).error_type ==
          "InvalidSignatureException");
    request = signed_request(credentials, now);
    request.query[0].second = "3";
    CHECK(verify_signature(request, known_secret, "states", now).error_type ==
          "InvalidSignatureException");
    credentials.session_token = "token-one";
    request = signed_request(credentials, now);
    set(request, "X-Amz-Security-Token", "token-two");
    CHECK(verify_signature(request, known_secret, "states", now).error_type ==
          "InvalidSignatureException");
  }
  SECTION("an unsigned extra header does not matter") {
    auto request = signed_request(credentials, now);
    request.headers.emplace_back("User-Agent", "added-by-a-proxy");
    CHECK(verify_signature(request, known_secret, "states", now).ok());
  }
  SECTION("a wrong secret") {
    credentials.secret_access_key = "not-the-secret";
    CHECK(verify_signature(signed_request(credentials, now), known_secret, "states", now)
              .error_type == "InvalidSignatureException");
  }
  SECTION("an unknown access key") {
    credentials.access_key_id = "AKIDUNKNOWN";
    const auto check =
        verify_signature(signed_request(credentials, now), known_secret, "states", now);
    CHECK(check.error_type == "UnrecognizedClientException");
    CHECK(check.access_key_id == "AKIDUNKNOWN");
  }
  SECTION("an expired or future date") {
    const auto check =
        verify_signature(signed_request(credentials, now), known_secret, "states", now + 16min);
    CHECK(check.error_type == "InvalidSignatureException");
    CHECK(check.message.starts_with("Signature expired"));
    CHECK(verify_signature(signed_request(credentials, now + 20min), known_secret, "states", now)
              .error_type == "InvalidSignatureException");
  }
  SECTION("another service, or no or a malformed Authorization") {
    CHECK(verify_signature(signed_request(credentials, now), known_secret, "lambda", now)
              .error_type == "IncompleteSignatureException");
    auto request = signed_request(credentials, now);
    std::erase_if(request.headers, [](const auto& h) { return h.first == "Authorization"; });
    const auto check = verify_signature(request, known_secret, "states", now);
    CHECK(check.error_type == "IncompleteSignatureException");
    CHECK(check.http_status() == 400);
    request.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
    CHECK(verify_signature(request, known_secret, "states", now).error_type ==
          "IncompleteSignatureException");
  }
}
