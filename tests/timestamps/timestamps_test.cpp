#include "loveless/timestamps/timestamps.hpp"

#include <catch2/catch.hpp>

using loveless::timestamps::format_basic;
using loveless::timestamps::format_rfc3339;
using loveless::timestamps::Instant;
using loveless::timestamps::MissingZone;
using loveless::timestamps::parse_basic;
using loveless::timestamps::parse_rfc3339;
using loveless::timestamps::Precision;
using namespace std::chrono;  // NOLINT(google-build-using-namespace)

// The ASL grammar is pinned by tests/asl/choice_rules_test.cpp (IsTimestamp);
// these cover what the other callers rely on.

TEST_CASE("parse_rfc3339 normalises to UTC and keeps nanoseconds", "[timestamps]") {
  const auto instant = parse_rfc3339("2024-03-01T13:00:00.123456789+01:00");
  REQUIRE(instant);
  CHECK(*instant == Instant{1709294400, 123456789});
  CHECK(instant->as<microseconds>() == sys_days{2024y / March / 1} + 12h + 123456us);
  // Years past a nanosecond system_clock still compare.
  CHECK(parse_rfc3339("9999-12-31T23:59:59Z") > parse_rfc3339("2024-01-01T00:00:00Z"));
}

TEST_CASE("a missing zone is rejected, or read as UTC when asked", "[timestamps]") {
  CHECK_FALSE(parse_rfc3339("2026-11-22T06:00:00"));
  const auto utc = parse_rfc3339("2026-11-22T06:00:00", MissingZone::kUtc);
  REQUIRE(utc);
  CHECK(utc == parse_rfc3339("2026-11-22T06:00:00Z"));
  CHECK(parse_rfc3339("2026-11-22T06:00:00Z", MissingZone::kUtc) == utc);
  CHECK_FALSE(parse_rfc3339("2026-11-22T06:00:00 ", MissingZone::kUtc));
  CHECK_FALSE(parse_rfc3339("2026-11-22", MissingZone::kUtc));
}

TEST_CASE("format_rfc3339 writes UTC, truncated", "[timestamps]") {
  const sys_time<nanoseconds> t = sys_days{2024y / January / 2} + 3h + 4min + 5s + 678999us;
  CHECK(format_rfc3339(t) == "2024-01-02T03:04:05Z");
  CHECK(format_rfc3339(t, Precision::kMilliseconds) == "2024-01-02T03:04:05.678Z");
  CHECK(format_basic(t) == "20240102T030405Z");
}

TEST_CASE("parse_basic reads X-Amz-Date", "[timestamps]") {
  CHECK(parse_basic("20150830T123600Z") == sys_days{2015y / August / 30} + 12h + 36min);
  CHECK(parse_basic("20150830T123660Z") == sys_days{2015y / August / 30} + 12h + 37min);
  CHECK_FALSE(parse_basic("20150830T123600"));
  CHECK_FALSE(parse_basic("2015-08-30T12:36:00Z"));
  CHECK_FALSE(parse_basic("20150230T123600Z"));
  CHECK_FALSE(parse_basic("20150830T243600Z"));
}
