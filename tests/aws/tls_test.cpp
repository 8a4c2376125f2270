// HttpClient and ServiceClient over https to a loopback cpp-httplib
// SSLServer whose self-signed certificate (for 127.0.0.1) is made here with
// OpenSSL: trusted through a CA file (the option or AWS_CA_BUNDLE) it works;
// untrusted, or for another address, the request fails with a clear error.
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "loveless/aws/http_client.hpp"
#include "loveless/aws/service_client.hpp"

#include "client_test_helpers.hpp"
#include "loopback_server.hpp"

using namespace loveless::aws;
using loveless::aws::testing::http_error;
using loveless::aws::testing::LoopbackServer;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// A self-signed P-256 certificate whose subjectAltName is `san`
// ("IP:127.0.0.1"), written as cert.pem and key.pem into a temporary directory.
struct TestCertificate {
  explicit TestCertificate(const std::string& san) {
    directory = fs::temp_directory_path() /
                ("loveless-tls-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(directory);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    REQUIRE(key != nullptr);
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), counter + 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("loveless test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX context;
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    for (const auto& [nid, value] : std::map<int, std::string>{
             {NID_subject_alt_name, san}, {NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
      REQUIRE(extension != nullptr);
      X509_add_ext(cert, extension, -1);
      X509_EXTENSION_free(extension);
    }
    REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
    FILE* file = std::fopen(cert_path().c_str(), "w");
    PEM_write_X509(file, cert);
    std::fclose(file);
    file = std::fopen(key_path().c_str(), "w");
    PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(file);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~TestCertificate() { fs::remove_all(directory); }
  [[nodiscard]] std::string cert_path() const { return (directory / "cert.pem").string(); }
  [[nodiscard]] std::string key_path() const { return (directory / "key.pem").string(); }

  fs::path directory;
  static inline int counter = 0;
};

LoopbackServer https_server(const TestCertificate& certificate) {
  return LoopbackServer(
      [](httplib::Server& s) {
        s.Get("/hello", [](const httplib::Request&, httplib::Response& response) {
          response.set_content("over tls", "text/plain");
        });
        s.Post("/", [](const httplib::Request& request, httplib::Response& response) {
          response.set_content(R"({"target":")" + request.get_header_value("X-Amz-Target") + "\"}",
                               "application/x-amz-json-1.0");
        });
      },
      certificate.cert_path(), certificate.key_path());
}

}  // namespace

TEST_CASE("https with the server's CA trusted through a CA file", "[tls]") {
  TestCertificate certificate("IP:127.0.0.1");
  auto server = https_server(certificate);
  HttpClient client(server.url("https"), 2s, TlsOptions{certificate.cert_path()});
  const auto first = client.get("/hello", {}, 5s);
  CHECK(first.status == 200);
  CHECK(first.body == "over tls");
  // The same connection serves the next request.
  CHECK(client.request("GET", "/hello", {}, {}, 5s).body == "over tls");
}

TEST_CASE("https to an untrusted certificate fails with a clear error", "[tls]") {
  TestCertificate certificate("IP:127.0.0.1");
  auto server = https_server(certificate);
  HttpClient client(server.url("https"), 2s);  // the system store does not know it
  const auto e = http_error([&] { client.get("/hello", {}, 5s); });
  CHECK(e.kind() == HttpError::Kind::kConnect);
  CHECK_THAT(e.what(), Catch::Contains("certificate did not verify"));
  CHECK_THAT(e.what(), Catch::Contains("AWS_CA_BUNDLE"));
}

TEST_CASE("https to a certificate for another address fails", "[tls]") {
  TestCertificate certificate("IP:127.0.0.2");
  auto server = https_server(certificate);
  HttpClient client(server.url("https"), 2s, TlsOptions{certificate.cert_path()});
  const auto e = http_error([&] { client.get("/hello", {}, 5s); });
  CHECK(e.kind() == HttpError::Kind::kConnect);
  CHECK_THAT(e.what(), Catch::Contains("certificate did not verify"));
}

TEST_CASE("A CA file that cannot be read is named in the error", "[tls]") {
  HttpClient client("https://127.0.0.1:1", 2s, TlsOptions{"/nonexistent/ca.pem"});
  const auto e = http_error([&] { client.get("/", {}, 2s); });
  CHECK_THAT(e.what(), Catch::Contains("/nonexistent/ca.pem"));
}

TEST_CASE("ServiceClient trusts the CA named by AWS_CA_BUNDLE", "[tls]") {
  TestCertificate certificate("IP:127.0.0.1");
  auto server = https_server(certificate);
  ServiceClientOptions options;
  options.service = kStepFunctions;
  options.region = "us-east-1";
  options.endpoint = server.url("https");
  options.credentials = static_credentials({"AKID", "secret", "", std::nullopt, ""});
  const auto bundle = certificate.cert_path();
  options.env = [bundle](std::string_view name) -> std::optional<std::string> {
    if (name == "AWS_CA_BUNDLE") return bundle;
    return std::nullopt;
  };
  ServiceClient client(options);
  CHECK(client.json_call("AWSStepFunctions.ListActivities", "1.0", {})["target"] ==
        "AWSStepFunctions.ListActivities");
}
