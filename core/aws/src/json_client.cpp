#include "loveless/aws/json_client.hpp"

#include <string>
#include <utility>

#include "loveless/aws/http_client.hpp"

namespace loveless::aws {
namespace {

constexpr const char* kContentType = "application/x-amz-json-1.0";

// `__type` may be qualified ("com.amazonaws.states#TaskTimedOut") or carry a
// suffix ("InvalidToken:http://..."); clients keep the bare name.
std::string bare_error_name(std::string type) {
  if (const auto hash = type.find('#'); hash != std::string::npos) type.erase(0, hash + 1);
  if (const auto colon = type.find(':'); colon != std::string::npos) type.erase(colon);
  return type;
}

AwsError error_from(const HttpResponse& response) {
  std::string type;
  std::string message;
  try {
    const auto body = nlohmann::json::parse(response.body);
    if (body.is_object()) {
      type = body.value("__type", std::string());
      // Some services spell it "Message".
      message = body.value("message", body.value("Message", std::string()));
    }
  } catch (const nlohmann::json::exception&) {
    message = response.body;
  }
  if (type.empty()) type = response.header("x-amzn-ErrorType");
  if (type.empty()) type = "HttpStatus" + std::to_string(response.status);
  return AwsError(bare_error_name(std::move(type)), std::move(message), response.status);
}

}  // namespace

struct JsonClient::Impl {
  explicit Impl(JsonClientOptions client_options)
      : options(std::move(client_options)), http(options.endpoint, options.connect_timeout) {}

  JsonClientOptions options;
  HttpClient http;
};

JsonClient::JsonClient(JsonClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
JsonClient::~JsonClient() = default;
JsonClient::JsonClient(JsonClient&&) noexcept = default;
JsonClient& JsonClient::operator=(JsonClient&&) noexcept = default;

nlohmann::json JsonClient::call(std::string_view operation, const nlohmann::json& request) {
  const HttpHeaders headers = {
      {"Content-Type", kContentType},
      {"X-Amz-Target", impl_->options.target_prefix + "." + std::string(operation)},
  };
  HttpResponse response;
  try {
    response = impl_->http.post("/", headers, request.dump(), impl_->options.read_timeout);
  } catch (const HttpError& e) {
    throw AwsError("NetworkError", impl_->options.endpoint + ": " + e.what(), 0);
  }
  if (response.status < 200 || response.status >= 300) throw error_from(response);
  if (response.body.empty()) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::parse_error& e) {
    throw AwsError("SerializationException", std::string("response is not valid JSON: ") + e.what(),
                   response.status);
  }
}

}  // namespace loveless::aws
