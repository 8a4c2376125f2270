#pragma once

// What `arn:aws:states:::lambda:invoke` returns to the state machine: Lambda's
// whole Invoke response as the Step Functions integration records it.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// The Invoke response around `payload` (the function's parsed response):
/// `{"ExecutedVersion": "$LATEST", "Payload": ..., "SdkHttpMetadata":
/// {"AllHttpHeaders": {...}, "HttpHeaders": {...}, "HttpStatusCode": 200},
/// "SdkResponseMetadata": {"RequestId": ...}, "StatusCode": 200}` with the
/// headers recorded on AWS (Connection, Content-Length = `payload_bytes`,
/// Content-Type, Date in RFC 1123 form, X-Amz-Executed-Version,
/// X-Amzn-Trace-Id = `trace_id`, x-amzn-Remapped-Content-Length,
/// x-amzn-RequestId = `request_id`). Source: histories recorded against AWS
/// (tests/fidelity/cases/lambda).
/// With `log_result` (LogType Tail), `LogResult` holds it.
nlohmann::json invoke_response(nlohmann::json payload, std::size_t payload_bytes,
                               const std::string& request_id, const std::string& trace_id,
                               const std::optional<std::string>& log_result = std::nullopt);

/// The LogResult of a `LogType: Tail` invocation: base64 of the platform's
/// START, END and REPORT lines for `request_id` (the function's own output is
/// not captured by the engine; docs/engine.md says so).
std::string platform_log_tail(const std::string& request_id,
                              std::chrono::steady_clock::duration took);

/// `text` re-serialised without spaces, member order kept, when it is JSON
/// (AWS records a lambda:invoke error payload so); otherwise unchanged.
std::string compact_json_text(const std::string& text);

/// The event a lambda:invoke sends for its `Payload` parameter, as recorded
/// on AWS: none or null sends `{}`, a string is sent as its own text (so
/// `"[1]"` arrives as the array), anything else as its JSON text.
std::string invoke_event(const nlohmann::json* payload);

}  // namespace loveless::engine
