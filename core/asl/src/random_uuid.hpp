#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "loveless/asl/clock.hpp"

namespace loveless::asl::detail {

/// A random version-4 UUID (RFC 4122) drawn from `random`: States.UUID,
/// `$uuid()`, a Map Run's id. Seeded sources give the same UUIDs again.
inline std::string random_uuid(RandomSource& random) {
  const std::uint64_t high = random.next_u64();
  const std::uint64_t low = random.next_u64();
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    const std::uint64_t half = i < 8 ? high : low;
    auto byte = static_cast<std::uint8_t>(half >> (8U * (7U - (i % 8))));
    if (i == 6) byte = static_cast<std::uint8_t>((byte & 0x0FU) | 0x40U);  // version 4
    if (i == 8) byte = static_cast<std::uint8_t>((byte & 0x3FU) | 0x80U);  // RFC 4122 variant
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kDigits[byte >> 4U]);
    out.push_back(kDigits[byte & 0x0FU]);
  }
  return out;
}

}  // namespace loveless::asl::detail
