#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace loveless::asl {

/// An instant parsed from an RFC 3339 timestamp, normalised to UTC.
struct Rfc3339Instant {
  std::int64_t seconds = 0;  // since the Unix epoch
  std::int32_t nanos = 0;    // [0, 1e9); digits beyond nanoseconds are dropped
  auto operator<=>(const Rfc3339Instant&) const = default;
};

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` with the ASL
/// restrictions (https://states-language.net/#timestamps): an uppercase `T`
/// and `Z`, a time zone always present. Rejects out-of-range fields (month 13,
/// February 30, hour 24, second 60). Nothing when `text` is not such a timestamp.
std::optional<Rfc3339Instant> parse_rfc3339(std::string_view text);

}  // namespace loveless::asl
