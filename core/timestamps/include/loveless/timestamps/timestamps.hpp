#pragma once

// Dates as text: the one parser and formatter of RFC 3339 timestamps and of
// the ISO 8601 basic form SigV4 writes, for the interpreter (Wait, Choice),
// the credentials chain and the reports.

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loveless::timestamps {

/// An instant parsed from a timestamp, normalised to UTC. Seconds and
/// nanoseconds rather than a time_point, so that every four-digit year fits
/// (a nanosecond system_clock ends in 2262).
struct Instant {
  std::int64_t seconds = 0;  // since the Unix epoch
  std::int32_t nanos = 0;    // [0, 1e9); digits beyond nanoseconds are dropped
  auto operator<=>(const Instant&) const = default;

  /// The instant as a time_point of `Duration`, truncated (toward the past).
  template <typename Duration>
  [[nodiscard]] std::chrono::sys_time<Duration> as() const {
    return std::chrono::sys_time<Duration>{
        std::chrono::duration_cast<Duration>(std::chrono::seconds{seconds}) +
        std::chrono::duration_cast<Duration>(std::chrono::nanoseconds{nanos})};
  }
};

/// What a timestamp without a time zone means.
enum class MissingZone {
  /// It is no timestamp: the ASL rule (https://states-language.net/#timestamps).
  kReject,
  /// UTC: the credentials that the container and instance metadata services
  /// answer are read so.
  kUtc,
};

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` with the ASL
/// restrictions: an uppercase `T` and `Z`, nothing before or after. Rejects
/// out-of-range fields (month 13, February 30, hour 24, second 60). With
/// `MissingZone::kUtc` the zone may be left out. Nothing when `text` is not
/// such a timestamp.
[[nodiscard]] std::optional<Instant> parse_rfc3339(std::string_view text,
                                                   MissingZone missing_zone = MissingZone::kReject);

/// How many digits of the second `format_rfc3339` writes.
enum class Precision { kSeconds, kMilliseconds };

/// `2024-01-02T03:04:05Z` or `2024-01-02T03:04:05.678Z`: UTC, truncated.
[[nodiscard]] std::string format_rfc3339(std::chrono::sys_time<std::chrono::nanoseconds> time,
                                         Precision precision = Precision::kSeconds);

/// `20240102T030405Z` (ISO 8601 basic form, UTC, whole seconds): X-Amz-Date.
[[nodiscard]] std::string format_basic(std::chrono::sys_time<std::chrono::nanoseconds> time);

/// Parses the form `format_basic` writes (exactly 16 characters, a second of
/// 60 allowed, as X-Amz-Date is checked). Nothing when `text` is not one.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_basic(std::string_view text);

}  // namespace loveless::timestamps
