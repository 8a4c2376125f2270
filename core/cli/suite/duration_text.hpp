#pragma once

#include <chrono>
#include <string>

namespace loveless::cli {

/// `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds. Throws
/// `UsageError` naming `option` for anything else.
std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text);

}  // namespace loveless::cli
