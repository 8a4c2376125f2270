#include "lambda_invoke_response.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "loveless/asl/base64.hpp"
#include "loveless/asl/json_document.hpp"

#include "sdk_metadata.hpp"

namespace loveless::engine {

nlohmann::json invoke_response(nlohmann::json payload, std::size_t payload_bytes,
                               const std::string& request_id, const std::string& trace_id,
                               const std::optional<std::string>& log_result) {
  nlohmann::json single = {
      {"Connection", "keep-alive"},
      {"Content-Length", std::to_string(payload_bytes)},
      {"Content-Type", "application/json"},
      {"Date", http_date_now()},
      {"X-Amz-Executed-Version", "$LATEST"},
      {"X-Amzn-Trace-Id", trace_id},
      {"x-amzn-Remapped-Content-Length", "0"},
      {"x-amzn-RequestId", request_id},
  };
  // Recorded: with LogType Tail the log is also a response header.
  if (log_result) single["X-Amz-Log-Result"] = *log_result;
  nlohmann::json response = {
      {"ExecutedVersion", "$LATEST"}, {"Payload", std::move(payload)}, {"StatusCode", 200}};
  add_sdk_metadata(response, single, request_id);
  if (log_result) response["LogResult"] = *log_result;
  return response;
}

std::string platform_log_tail(const std::string& request_id,
                              std::chrono::steady_clock::duration took) {
  const auto millis = std::chrono::duration<double, std::milli>(took).count();
  char duration[64];
  std::snprintf(duration, sizeof duration, "%.2f ms\tBilled Duration: %.0f ms", millis,
                std::ceil(millis));
  const std::string lines =
      "START RequestId: " + request_id + " Version: $LATEST\nEND RequestId: " + request_id +
      "\nREPORT RequestId: " + request_id + "\tDuration: " + duration + "\t\n";
  return asl::base64_encode(lines);
}

std::string compact_json_text(const std::string& text) {
  // A payload nested too deeply stays as it came (the ordered parse recurses).
  try {
    asl::require_json_depth(text);
  } catch (const asl::JsonDocumentError&) {
    return text;
  }
  const auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return text;
  return parsed.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string invoke_event(const nlohmann::json* payload) {
  if (payload == nullptr || payload->is_null()) return "{}";
  if (payload->is_string()) return payload->get<std::string>();
  return payload->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace loveless::engine
