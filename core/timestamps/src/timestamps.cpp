#include "loveless/timestamps/timestamps.hpp"

#include <array>
#include <cstdio>

namespace loveless::timestamps {

namespace {

/// Reads exactly `width` digits at `pos`.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  out = value;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<std::chrono::year_month_day> civil_date(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

/// `.digits` at `pos`, if any, as nanoseconds; false on a `.` without digits.
bool read_fraction(std::string_view text, std::size_t& pos, std::int32_t& nanos) {
  nanos = 0;
  if (pos >= text.size() || text[pos] != '.') return true;
  ++pos;
  const std::size_t start = pos;
  std::int32_t scale = 100000000;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    nanos += (text[pos] - '0') * scale;
    scale /= 10;
    ++pos;
  }
  return pos != start;
}

/// `Z`, `+HH:MM` or `-HH:MM` at `pos` (or nothing, when `missing_zone`
/// allows it) as seconds ahead of UTC.
std::optional<std::int64_t> read_zone(std::string_view text, std::size_t& pos,
                                      MissingZone missing_zone) {
  if (pos >= text.size()) {
    if (missing_zone == MissingZone::kUtc) return 0;
    return std::nullopt;
  }
  if (text[pos] == 'Z') {
    ++pos;
    return 0;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  const bool negative = text[pos] == '-';
  ++pos;
  int offset_hours = 0;
  int offset_minutes = 0;
  if (!read_digits(text, pos, 2, offset_hours) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
    return std::nullopt;
  }
  return (offset_hours * 3600LL + offset_minutes * 60LL) * (negative ? -1 : 1);
}

}  // namespace

std::optional<Instant> parse_rfc3339(std::string_view text, MissingZone missing_zone) {
  std::size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day) || !expect(text, pos, 'T') ||
      !read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const auto date = civil_date(year, month, day);
  if (!date) return std::nullopt;

  Instant instant;
  if (!read_fraction(text, pos, instant.nanos)) return std::nullopt;
  const auto offset_seconds = read_zone(text, pos, missing_zone);
  if (!offset_seconds || pos != text.size()) return std::nullopt;

  const std::int64_t days = std::chrono::sys_days{*date}.time_since_epoch().count();
  // A local time at +HH:MM is that much ahead of UTC, so subtract the offset.
  instant.seconds = days * 86400 + hour * 3600LL + minute * 60LL + second - *offset_seconds;
  return instant;
}

std::string format_rfc3339(std::chrono::sys_time<std::chrono::nanoseconds> time,
                           Precision precision) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  std::array<char, 40> buffer{};
  const int length = std::snprintf(
      buffer.data(), buffer.size(), "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
      static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
      static_cast<int>(hms.seconds().count()));
  std::string text(buffer.data(), static_cast<std::size_t>(length));
  if (precision == Precision::kMilliseconds) {
    std::snprintf(buffer.data(), buffer.size(), ".%03d",
                  static_cast<int>(hms.subseconds().count()));
    text += buffer.data();
  }
  return text + "Z";
}

std::string format_basic(std::chrono::sys_time<std::chrono::nanoseconds> time) {
  std::string text = format_rfc3339(time);  // 2024-01-02T03:04:05Z
  std::erase_if(text, [](char c) { return c == '-' || c == ':'; });
  return text;
}

std::optional<std::chrono::sys_seconds> parse_basic(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  std::size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_digits(text, pos, 4, year) || !read_digits(text, pos, 2, month) ||
      !read_digits(text, pos, 2, day) || !expect(text, pos, 'T') ||
      !read_digits(text, pos, 2, hour) || !read_digits(text, pos, 2, minute) ||
      !read_digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto date = civil_date(year, month, day);
  if (!date) return std::nullopt;
  return std::chrono::sys_days(*date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

}  // namespace loveless::timestamps
