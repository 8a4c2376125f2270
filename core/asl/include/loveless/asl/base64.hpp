#pragma once

// Standard base64 (RFC 4648, with padding), as States.Base64Encode and
// States.Base64Decode define it and as Lambda's LogResult carries logs.

#include <optional>
#include <string>
#include <string_view>

namespace loveless::asl {

/// The base64 text of `bytes`.
std::string base64_encode(std::string_view bytes);
/// The bytes of base64 `text`; nullopt when it is not padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace loveless::asl
