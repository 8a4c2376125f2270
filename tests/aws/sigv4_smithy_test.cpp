// loveless::aws::sign_request against @smithy/signature-v4, the signer of
// the AWS SDK for JavaScript v3 (tests/sdk/sigv4_sign.mjs): the same 60
// deterministic, varied requests signed by both must carry the same
// Authorization header. Without node or the npm packages the test prints
// LOVELESS-SKIP (reported as skipped) unless LOVELESS_REQUIRE_TOOLS=1.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/aws/sigv4.hpp"

using namespace loveless::aws;
namespace fs = std::filesystem;

namespace {

bool skip(const std::string& reason) {
  const char* required = std::getenv("LOVELESS_REQUIRE_TOOLS");
  if (required != nullptr && std::string(required) == "1") {
    FAIL("LOVELESS_REQUIRE_TOOLS=1 but " << reason);
  }
  std::cout << "LOVELESS-SKIP: " << reason << '\n';
  return true;
}

std::string base64(std::string_view bytes) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    for (const int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (const auto rest = bytes.size() - i; rest > 0) {
    auto n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// The engine's raw output, reduced with `%`, so the requests are the same
// on every standard library (distributions are not portable).
struct Generator {
  std::mt19937 engine{20150830};
  std::size_t below(std::size_t n) { return engine() % n; }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }
};

struct Case {
  SignableRequest request;
  Credentials credentials;
  SigningScope scope;
};

Case make_case(Generator& g, int index) {
  static const std::array<std::string, 12> kPaths = {
      "/",
      "/2015-03-31/functions/my-function/invocations",
      "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/configuration",
      "/experiments/EXP123abc",
      "/a b/c",
      "//double//slashes//",
      "/./dot/../segments/",
      "/unicode/\xc3\xa9t\xc3\xa9/\xe1\x88\xb4",
      "/odd/!'()*@$&+,;=:",
      "/tilde~under_score-dash.dot",
      "/percent%2520twice",
      "/trailing/",
  };
  static const std::array<std::string, 10> kQueryNames = {
      "Marker", "MaxItems", "Qualifier", "a b", "Zeta", "alpha", "\xc3\xa9", "x=y", "+plus", "~"};
  static const std::array<std::string, 10> kQueryValues = {
      "",      "1",     "$LATEST", "with space", "slash/value", "a&b=c", "\xe1\x88\xb4",
      "UPPER", "*()!'", "%"};
  static const std::array<std::string, 8> kHeaderNames = {
      "X-Amz-Target", "Content-Type", "My-Header",   "x-amz-meta-Key",
      "Accept",       "X-Custom",     "content-md5", "If-Match"};
  static const std::array<std::string, 8> kHeaderValues = {"AWSStepFunctions.StartExecution",
                                                           "  leading and trailing  ",
                                                           "inner   spaces\tand tab",
                                                           "application/x-amz-json-1.0",
                                                           "UPPER lower",
                                                           "\"quoted   value\"",
                                                           "a,b",
                                                           "=/+"};
  static const std::array<std::pair<std::string, std::string>, 5> kScopes = {{
      {"us-east-1", "states"},
      {"eu-west-1", "ecs"},
      {"ap-southeast-2", "lambda"},
      {"us-gov-west-1", "fis"},
      {"cn-north-1", "monitoring"},
  }};
  static const std::array<std::string, 5> kMethods = {"GET", "POST", "PUT", "DELETE", "PATCH"};

  Case c;
  const auto& [region, service] = g.pick(kScopes);
  c.scope = {region, service,
             std::chrono::sys_days(std::chrono::year(2026) / 1 / 1) +
                 std::chrono::seconds(g.below(366LL * 24 * 3600))};
  c.credentials = {"AKID" + std::to_string(index), "secret/" + std::to_string(g.engine()) + "+key",
                   g.below(2) == 0 ? "" : "FQoGZXIvYXdz//token+" + std::to_string(index) + "==",
                   std::nullopt, "static"};
  c.request.method = g.pick(kMethods);
  c.request.path = g.pick(kPaths);
  for (std::size_t i = 0, n = g.below(5); i < n; ++i) {
    // Repeats of a name on purpose now and then.
    const auto& name = g.below(4) == 0 && !c.request.query.empty() ? c.request.query.front().first
                                                                   : g.pick(kQueryNames);
    c.request.query.emplace_back(name, g.pick(kQueryValues));
  }
  c.request.headers.emplace_back(g.below(2) == 0 ? "Host" : "host",
                                 service + "." + region + ".amazonaws.com");
  for (std::size_t i = 0, n = g.below(4); i < n; ++i) {
    c.request.headers.emplace_back(g.pick(kHeaderNames), g.pick(kHeaderValues));
  }
  switch (g.below(4)) {
    case 0:
      break;  // empty body
    case 1:
      c.request.body = R"({"stateMachineArn":"arn:aws:states:us-east-1:1:stateMachine:m","n":)" +
                       std::to_string(index) + "}";
      break;
    case 2:
      for (int i = 0; i < 64; ++i) c.request.body.push_back(static_cast<char>(g.below(256)));
      break;
    default:
      c.request.body = std::string(1000 + g.below(5000), 'x');
  }
  return c;
}

}  // namespace

TEST_CASE("sign_request agrees with smithy signature-v4 on 60 varied requests", "[sigv4][smithy]") {
  const std::string node = LOVELESS_NODE;
  const fs::path sdk_dir = LOVELESS_SDK_TEST_DIR;
  if (node.empty() && skip("node is not installed (scripts/setup --with-test-tools)")) return;
  if (!fs::exists(sdk_dir / "node_modules/@smithy/signature-v4") ||
      !fs::exists(sdk_dir / "node_modules/@aws-crypto/sha256-js")) {
    skip(
        "tests/sdk/node_modules lacks @smithy/signature-v4 or @aws-crypto/sha256-js (run "
        "scripts/setup --with-test-tools)");
    return;
  }

  Generator g;
  std::vector<Case> cases;
  nlohmann::json input = nlohmann::json::array();
  for (int i = 0; i < 60; ++i) {
    cases.push_back(make_case(g, i));
    const auto& c = cases.back();
    nlohmann::json credentials = {{"accessKeyId", c.credentials.access_key_id},
                                  {"secretAccessKey", c.credentials.secret_access_key}};
    if (!c.credentials.session_token.empty()) {
      credentials["sessionToken"] = c.credentials.session_token;
    }
    const auto date = amz_date(c.scope.time);
    input.push_back({{"method", c.request.method},
                     {"path", c.request.path},
                     {"query", c.request.query},
                     {"headers", c.request.headers},
                     {"body_base64", base64(c.request.body)},
                     {"region", c.scope.region},
                     {"service", c.scope.service},
                     {"time", date.substr(0, 4) + "-" + date.substr(4, 2) + "-" +
                                  date.substr(6, 2) + "T" + date.substr(9, 2) + ":" +
                                  date.substr(11, 2) + ":" + date.substr(13, 2) + "Z"},
                     {"credentials", credentials}});
  }
  const auto file =
      fs::temp_directory_path() / ("loveless-sigv4-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << input.dump();
  const auto command =
      node + " " + (sdk_dir / "sigv4_sign.mjs").string() + " " + file.string() + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  fs::remove(file);
  INFO(output);
  REQUIRE(status == 0);
  const auto expected = nlohmann::json::parse(output);
  REQUIRE(expected.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto request = cases[i].request;
    sign_request(request, cases[i].credentials, cases[i].scope);
    std::string authorization;
    for (const auto& [name, value] : request.headers) {
      if (name == "Authorization") authorization = value;
    }
    INFO("case " << i << ": " << input[i].dump());
    CHECK(authorization == expected[i].get<std::string>());
  }
}
