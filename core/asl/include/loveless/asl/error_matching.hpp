#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::asl {

/// True when a Retry or Catch `ErrorEquals` array matches `error`, following
/// the ASL rules (https://states-language.net/#error-names):
/// an exact name matches itself; `States.ALL` matches every error except
/// `States.Runtime` and `States.DataLimitExceeded`; `States.TaskFailed` matches
/// every error except `States.Timeout` (and those two terminal ones).
///
/// A heartbeat expiry is recorded as `States.Timeout`, as AWS histories show;
/// pass `heartbeat_expiry = true` for it so that a rule naming
/// `States.HeartbeatTimeout` (documented by AWS as usable in ErrorEquals)
/// matches as well as one naming `States.Timeout`.
bool error_equals_matches(const nlohmann::json& error_equals, std::string_view error,
                          bool heartbeat_expiry = false);

}  // namespace loveless::asl
