#include "runtime_api_client.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <thread>

#include "loveless/aws/http_client.hpp"
#include "loveless/aws/sigv4.hpp"

#include "handler_outcome.hpp"
#include "worker_log.hpp"

namespace loveless::worker {
namespace {

constexpr const char* kBasePath = "/2018-06-01/runtime";
constexpr const char* kJson = "application/json";
constexpr std::chrono::seconds kConnectTimeout{5};
// `next` blocks until there is work. An hour bounds a wait on a Runtime API
// that died without closing the connection; the loop then asks again.
constexpr std::chrono::hours kNextReadTimeout{1};
constexpr std::chrono::seconds kPostReadTimeout{10};
// A post that failed on the wire is worth a few quick retries: the response
// is the whole point of the invocation.
constexpr int kPostAttempts = 3;
constexpr std::chrono::milliseconds kPostRetryDelay{100};

std::optional<std::chrono::system_clock::time_point> parse_deadline(const std::string& text) {
  std::int64_t epoch_ms = 0;
  const auto* const end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, epoch_ms);
  if (text.empty() || error != std::errc() || rest != end) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(epoch_ms));
}

std::string error_body(const std::string& error_type, const std::string& error_message) {
  return to_json_text({{"errorMessage", truncate_characters(error_message, kMaxCauseCharacters)},
                       {"errorType", truncate_characters(error_type, kMaxErrorCharacters)},
                       {"stackTrace", nlohmann::json::array()}});
}

}  // namespace

struct RuntimeApiClient::Impl {
  explicit Impl(const std::string& api)
      : runtime_api(api), client("http://" + api, kConnectTimeout) {}
  std::string runtime_api;
  aws::HttpClient client;
};

RuntimeApiClient::RuntimeApiClient(const std::string& runtime_api)
    : impl_(std::make_unique<Impl>(runtime_api)) {}
RuntimeApiClient::~RuntimeApiClient() = default;

std::optional<Invocation> RuntimeApiClient::next() {
  aws::HttpResponse result;
  try {
    result = impl_->client.get(std::string(kBasePath) + "/invocation/next", {}, kNextReadTimeout);
  } catch (const aws::HttpError& e) {
    // An idle hour ends in a timeout: not worth a log line.
    if (e.kind() != aws::HttpError::Kind::kTimeout) {
      log_line("GET " + impl_->runtime_api + " /runtime/invocation/next failed: " + e.what());
    }
    return std::nullopt;
  }
  if (result.status != 200) {
    log_line("GET /runtime/invocation/next answered HTTP " + std::to_string(result.status) + ": " +
             result.body);
    return std::nullopt;
  }
  Invocation invocation;
  invocation.request_id = result.header("Lambda-Runtime-Aws-Request-Id");
  if (invocation.request_id.empty()) {
    log_line("GET /runtime/invocation/next answered without Lambda-Runtime-Aws-Request-Id");
    return std::nullopt;
  }
  invocation.deadline = parse_deadline(result.header("Lambda-Runtime-Deadline-Ms"));
  try {
    invocation.event = nlohmann::json::parse(result.body);
  } catch (const nlohmann::json::parse_error& e) {
    invocation.event_error = std::string("the event is not valid JSON: ") + e.what();
  }
  return invocation;
}

bool RuntimeApiClient::post_response(const std::string& request_id, const nlohmann::json& output) {
  return post("/invocation/" + aws::uri_encode(request_id) + "/response", to_json_text(output), "");
}

bool RuntimeApiClient::post_error(const std::string& request_id, const std::string& error_type,
                                  const std::string& error_message) {
  return post("/invocation/" + aws::uri_encode(request_id) + "/error",
              error_body(error_type, error_message), error_type);
}

bool RuntimeApiClient::post_init_error(const std::string& error_type,
                                       const std::string& error_message) {
  return post("/init/error", error_body(error_type, error_message), error_type);
}

bool RuntimeApiClient::post(const std::string& path, const std::string& body,
                            const std::string& error_type) {
  aws::HttpHeaders headers = {{"Content-Type", kJson}};
  if (!error_type.empty()) {
    headers.emplace_back("Lambda-Runtime-Function-Error-Type",
                         truncate_characters(error_type, kMaxErrorCharacters));
  }
  for (int attempt = 1; attempt <= kPostAttempts; ++attempt) {
    try {
      const auto result = impl_->client.post(kBasePath + path, headers, body, kPostReadTimeout);
      if (result.status >= 200 && result.status < 300) return true;
      // A refusal (the invocation timed out, the payload is too large) will
      // not change on a retry.
      log_line("POST " + path + " answered HTTP " + std::to_string(result.status) + ": " +
               result.body);
      return false;
    } catch (const aws::HttpError& e) {
      log_line("POST " + path + " failed: " + e.what());
    }
    if (attempt < kPostAttempts) std::this_thread::sleep_for(kPostRetryDelay * attempt);
  }
  return false;
}

}  // namespace loveless::worker
