#include "loveless/aws/service_client.hpp"

#include <charconv>
#include <random>
#include <thread>
#include <utility>

#include "loveless/aws/http_client.hpp"
#include "loveless/aws/sigv4.hpp"

namespace loveless::aws {
namespace {

constexpr int kDefaultMaxAttempts = 3;

// `__type` may be qualified ("com.amazonaws.states#TaskTimedOut") or carry a
// suffix ("InvalidToken:http://..."); clients keep the bare name.
std::string bare_error_name(std::string type) {
  if (const auto hash = type.find('#'); hash != std::string::npos) type.erase(0, hash + 1);
  if (const auto colon = type.find(':'); colon != std::string::npos) type.erase(colon);
  return type;
}

// The error of an answer, as the awsJson and restJson1 protocols carry it.
AwsError error_from(const HttpResponse& response) {
  std::string type;
  std::string message;
  try {
    const auto body = nlohmann::json::parse(response.body);
    if (body.is_object()) {
      const auto text = [&](const char* key) {
        const auto found = body.find(key);
        return found != body.end() && found->is_string() ? found->get<std::string>()
                                                         : std::string();
      };
      type = text("__type");
      if (type.empty()) type = response.header("x-amzn-ErrorType");
      if (type.empty()) type = text("code");
      if (type.empty()) type = text("Code");
      message = text("message");
      if (message.empty()) message = text("Message");
    }
  } catch (const nlohmann::json::exception&) {
    message = response.body;
  }
  if (type.empty()) type = response.header("x-amzn-ErrorType");
  if (type.empty()) type = "HttpStatus" + std::to_string(response.status);
  return AwsError(bare_error_name(std::move(type)), std::move(message), response.status);
}

// host[:port] as written in the endpoint: what HttpClient sends as Host, so
// what is signed.
std::string host_of(std::string_view endpoint) {
  if (const auto scheme = endpoint.find("://"); scheme != std::string_view::npos) {
    endpoint.remove_prefix(scheme + 3);
  }
  if (endpoint.ends_with('/')) endpoint.remove_suffix(1);
  return std::string(endpoint);
}

int max_attempts(const ServiceClientOptions& options) {
  if (options.retry.max_attempts > 0) return options.retry.max_attempts;
  if (const auto text = options.env("AWS_MAX_ATTEMPTS")) {
    int value = 0;
    const auto* end = text->data() + text->size();
    const auto [rest, error] = std::from_chars(text->data(), end, value);
    if (error == std::errc() && rest == end && value > 0) return value;
  }
  return kDefaultMaxAttempts;
}

std::string ca_file(const ServiceClientOptions& options) {
  if (!options.ca_bundle.empty()) return options.ca_bundle;
  return options.env("AWS_CA_BUNDLE").value_or("");
}

}  // namespace

std::string resolve_endpoint(const ServiceClientOptions& options) {
  if (!options.endpoint.empty()) return options.endpoint;
  if (auto value = options.env("AWS_ENDPOINT_URL_" + options.service.env_id);
      value && !value->empty()) {
    return *value;
  }
  if (auto value = options.env("AWS_ENDPOINT_URL"); value && !value->empty()) return *value;
  // No region: no endpoint (every request fails with a NetworkError saying
  // so), rather than a guess at one.
  if (options.region.empty()) return {};
  return "https://" + options.service.endpoint_prefix + "." + options.region + ".amazonaws.com";
}

struct ServiceClient::Impl {
  explicit Impl(ServiceClientOptions client_options)
      : options(std::move(client_options)),
        endpoint(resolve_endpoint(options)),
        host(host_of(endpoint)),
        attempts_allowed(max_attempts(options)),
        http(endpoint, options.connect_timeout, TlsOptions{ca_file(options)}),
        quota(options.retry.quota ? options.retry.quota : std::make_shared<RetryQuota>()) {
    if (!options.retry.random) {
      options.retry.random = [engine = std::mt19937_64(std::random_device{}())]() mutable {
        return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
      };
    }
    if (!options.retry.sleep) {
      options.retry.sleep = [](std::chrono::milliseconds delay) {
        std::this_thread::sleep_for(delay);
      };
    }
  }

  nlohmann::json call(std::string_view method, std::string_view path,
                      const std::vector<std::pair<std::string, std::string>>& query,
                      HttpHeaders headers, const std::string& body) {
    std::string target(path);
    for (std::size_t i = 0; i < query.size(); ++i) {
      target +=
          (i == 0 ? "?" : "&") + uri_encode(query[i].first) + "=" + uri_encode(query[i].second);
    }
    headers.emplace_back("Host", host);
    int last_cost = 0;
    for (int attempt = 1;; ++attempt) {
      last_attempts = attempt;
      SignableRequest request{std::string(method), std::string(path), query, headers, body};
      if (options.credentials) {
        sign_request(request, options.credentials->get(),
                     {options.region, options.service.signing_name, options.now()});
      }
      std::optional<AwsError> error;
      bool timed_out = false;
      HttpResponse response;
      try {
        response = http.request(method, target, request.headers, body, options.read_timeout);
      } catch (const HttpError& e) {
        error.emplace("NetworkError", endpoint + ": " + e.what(), 0);
        timed_out = e.kind() == HttpError::Kind::kTimeout;
      }
      if (!error && response.status >= 200 && response.status < 300) {
        quota->release(last_cost);
        return parse(response);
      }
      if (!error) error.emplace(error_from(response));
      const auto kind = classify_error(error->type(), error->http_status(), timed_out);
      const bool network = error->http_status() == 0;
      if (kind == RetryKind::kNone || (network && !options.retry.retry_network_errors) ||
          attempt >= attempts_allowed || !quota->acquire(kind)) {
        throw *error;
      }
      last_cost = kind == RetryKind::kTimeout ? RetryQuota::kTimeoutCost : RetryQuota::kRetryCost;
      options.retry.sleep(retry_delay(attempt, options.retry.random(), options.retry.max_backoff));
    }
  }

  static nlohmann::json parse(const HttpResponse& response) {
    if (response.body.empty()) return nlohmann::json::object();
    try {
      return nlohmann::json::parse(response.body);
    } catch (const nlohmann::json::parse_error& e) {
      throw AwsError("SerializationException",
                     std::string("response is not valid JSON: ") + e.what(), response.status);
    }
  }

  ServiceClientOptions options;
  std::string endpoint;
  std::string host;
  int attempts_allowed;
  HttpClient http;
  std::shared_ptr<RetryQuota> quota;
  int last_attempts = 0;
};

ServiceClient::ServiceClient(ServiceClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
ServiceClient::~ServiceClient() = default;
ServiceClient::ServiceClient(ServiceClient&&) noexcept = default;
ServiceClient& ServiceClient::operator=(ServiceClient&&) noexcept = default;

nlohmann::json ServiceClient::json_call(std::string_view target, std::string_view json_version,
                                        const nlohmann::json& body) {
  return impl_->call("POST", "/", {},
                     {{"Content-Type", "application/x-amz-json-" + std::string(json_version)},
                      {"X-Amz-Target", std::string(target)}},
                     body.dump());
}

nlohmann::json ServiceClient::rest_call(
    std::string_view method, std::string_view path,
    const std::vector<std::pair<std::string, std::string>>& query,
    const std::optional<nlohmann::json>& body) {
  HttpHeaders headers;
  if (body) headers.emplace_back("Content-Type", "application/json");
  return impl_->call(method, path, query, std::move(headers), body ? body->dump() : std::string());
}

const std::string& ServiceClient::endpoint() const { return impl_->endpoint; }
int ServiceClient::last_attempts() const { return impl_->last_attempts; }

}  // namespace loveless::aws
