#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "loveless/history/history.hpp"
#include "loveless/injectors/injector.hpp"
#include "loveless/injectors/seeded_draws.hpp"

namespace loveless::injectors {

/// Something a trigger may react to.
struct TriggerEvent {
  enum class Kind { kTick, kTaskStarted, kTaskEnded, kStateEntered };
  Kind kind = Kind::kTick;
  /// When it happened (for ticks: when the tick was due).
  history::TimePoint at{};
  std::string execution_arn;
  std::string state_name;
  /// Task events: the pool serving the task and the worker that ran it.
  std::string pool;
  std::string worker;
};

/// A live worker a target may pick.
struct Candidate {
  std::string worker;
  std::string pool;
};

/// One fault to apply: the runner performs it on `worker` at `due`.
struct FaultOrder {
  FaultType fault = FaultType::kKill;
  std::string worker;
  std::string pool;
  history::TimePoint due{};
  /// The trigger that caused it.
  TriggerEvent cause;
};

/// An injector's decisions: whether a trigger event fires it, which workers
/// it hits and when. Pure and deterministic: the same seed, the same events
/// and the same candidates give the same orders (`--seed` reproduces a fault
/// plan). It performs nothing; the runner applies the orders.
///
/// Thread-safety: none; the runner's nemesis thread owns it.
class InjectorPolicy {
 public:
  /// `seed` is the run's seed; `index` the injector's position in the
  /// scenario, so two injectors draw from different streams.
  InjectorPolicy(InjectorSpec spec, std::uint64_t seed, std::size_t index);

  [[nodiscard]] const InjectorSpec& spec() const { return spec_; }
  /// True for `at` and `every` triggers, whose firings come from `next_tick`.
  [[nodiscard]] bool timed() const;
  /// Timed triggers: the next firing time as an offset from the chaos phase's
  /// start (each call advances), or nullopt when there is none left.
  std::optional<std::chrono::milliseconds> next_tick();
  /// Whether `event` is one this injector's trigger reacts to (before
  /// probability and the firing limit).
  [[nodiscard]] bool matches(const TriggerEvent& event) const;
  /// Decides one firing for a matching `event`: draws the probability, counts
  /// the firing against `at_most`, and picks targets among `candidates`
  /// (sorted by worker id first, so the draw does not depend on their order).
  /// Returns no order when it does not fire or no candidate fits.
  std::vector<FaultOrder> fire(const TriggerEvent& event, std::vector<Candidate> candidates);
  /// How many times it fired.
  [[nodiscard]] int firings() const { return firings_; }

 private:
  [[nodiscard]] bool matches_task(const TriggerEvent& event) const;
  std::vector<Candidate> pick(const TriggerEvent& event, std::vector<Candidate> candidates);

  InjectorSpec spec_;
  SeededEngine random_;
  int firings_ = 0;
  int ticks_ = 0;
};

}  // namespace loveless::injectors
