#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace loveless::asl {

/// Compact JSON text of `data` for history payloads and error causes.
/// Invalid UTF-8 inside strings (which byte-level intrinsics such as
/// States.StringSplit can produce) becomes U+FFFD instead of throwing, so
/// recording an event or building a message never fails.
inline std::string to_json_text(const nlohmann::json& data) {
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace loveless::asl
