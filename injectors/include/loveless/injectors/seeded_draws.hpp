#pragma once

// Seeded draws that give the same numbers on every platform. The standard
// engines (std::mt19937_64) are specified bit for bit, but the standard
// distributions are not: std::uniform_int_distribution and
// std::uniform_real_distribution may map the same engine output to different
// values under libstdc++, libc++ and MSVC, so `--seed N` would name another
// fault plan elsewhere. These functions are the only way injectors turn
// engine output into a decision.

#include <cstdint>
#include <random>

namespace loveless::injectors {

/// The engine behind every seeded decision: 64-bit Mersenne Twister,
/// identical everywhere by the standard ([rand.eng.mers]).
using SeededEngine = std::mt19937_64;

/// Uniform in [0, bound), unbiased (rejection of the short last block);
/// 0 when `bound` is 0.
inline std::uint64_t draw_below(SeededEngine& engine, std::uint64_t bound) {
  if (bound == 0) return 0;
  // The largest multiple of `bound` that fits: values at or above it would
  // favour the low results, so they are drawn again (fewer than half the
  // time in the worst case).
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
  std::uint64_t value = engine();
  while (value > limit) value = engine();
  return value % bound;
}

/// Uniform in [low, high], both included; `low` when high < low.
inline std::int64_t draw_between(SeededEngine& engine, std::int64_t low, std::int64_t high) {
  if (high <= low) return low;
  const auto span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  const auto offset = span == UINT64_MAX ? engine() : draw_below(engine, span + 1);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset);
}

/// Uniform in [0, 1) with 53 bits: the top bits of one engine output.
inline double draw_unit(SeededEngine& engine) {
  return static_cast<double>(engine() >> 11U) * 0x1.0p-53;
}

}  // namespace loveless::injectors
