#pragma once

// What AWS's Java SDK adds to an optimized integration's result: the HTTP
// response's headers and request id (recorded on lambda:invoke and
// states:startExecution, tests/fidelity/cases).

#include <string>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// Now as an HTTP `Date` header: RFC 1123, `Tue, 15 Nov 1994 08:12:31 GMT`.
std::string http_date_now();

/// Adds `SdkHttpMetadata` {AllHttpHeaders: each header as a one-element list,
/// HttpHeaders: each as a string, HttpStatusCode: 200} and
/// `SdkResponseMetadata` {RequestId} to `result`. `headers` maps header names
/// to values (strings).
void add_sdk_metadata(nlohmann::json& result, const nlohmann::json& headers,
                      const std::string& request_id);

}  // namespace loveless::engine
