#pragma once

#include <chrono>
#include <cstdint>

namespace loveless::asl {

/// Wall-clock instants as Step Functions records them (epoch-based, so history
/// timestamps are epoch seconds with a fraction).
using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

/// The source of randomness an execution uses (Retry jitter, States.MathRandom,
/// States.UUID, task tokens). Injected so that tests and `--seed` runs are
/// reproducible. Not thread-safe: one per execution, or externally locked.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  /// A uniformly distributed 64-bit value.
  virtual std::uint64_t next_u64() = 0;
  /// A uniformly distributed double in [0, 1).
  double next_unit() { return static_cast<double>(next_u64() >> 11U) * 0x1.0p-53; }
};

/// A seeded SplitMix64 generator: small, fast and reproducible from its seed.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next_u64() override {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }

 private:
  std::uint64_t state_;
};

/// Converts a TimePoint to epoch seconds with a fraction, the form Step
/// Functions uses for `timestamp`, `startDate` and `creationDate`.
inline double to_epoch_seconds(TimePoint t) {
  return static_cast<double>(t.time_since_epoch().count()) / 1e6;
}

}  // namespace loveless::asl
