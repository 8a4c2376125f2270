#include "loveless/injectors/policy.hpp"

#include <algorithm>
#include <cmath>

#include "loveless/injectors/seeded_draws.hpp"

namespace loveless::injectors {
namespace {

// SplitMix64 finaliser: spreads (seed, index) into independent streams.
std::uint64_t mix(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27U)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31U);
}

bool is_task_event(TriggerEvent::Kind kind) {
  return kind == TriggerEvent::Kind::kTaskStarted || kind == TriggerEvent::Kind::kTaskEnded;
}

}  // namespace

InjectorPolicy::InjectorPolicy(InjectorSpec spec, std::uint64_t seed, std::size_t index)
    : spec_(std::move(spec)), random_(mix(seed ^ mix(index + 1))) {}

bool InjectorPolicy::timed() const {
  return spec_.trigger.kind == TriggerKind::kAt || spec_.trigger.kind == TriggerKind::kEvery;
}

std::optional<std::chrono::milliseconds> InjectorPolicy::next_tick() {
  const auto& trigger = spec_.trigger;
  if (trigger.kind == TriggerKind::kAt) {
    if (ticks_++ > 0) return std::nullopt;
    return trigger.at;
  }
  if (trigger.kind != TriggerKind::kEvery || trigger.interval.count() <= 0) return std::nullopt;
  ++ticks_;
  auto due = trigger.interval * ticks_;
  if (trigger.jitter.count() > 0) {
    due += std::chrono::milliseconds(
        draw_between(random_, -trigger.jitter.count(), trigger.jitter.count()));
  }
  return std::max(due, std::chrono::milliseconds(0));
}

bool InjectorPolicy::matches_task(const TriggerEvent& event) const {
  const auto& match = spec_.trigger.match;
  return match.empty() || match == event.state_name || match == event.pool;
}

bool InjectorPolicy::matches(const TriggerEvent& event) const {
  switch (spec_.trigger.kind) {
    case TriggerKind::kAt:
    case TriggerKind::kEvery:
      return event.kind == TriggerEvent::Kind::kTick;
    case TriggerKind::kTaskStarted:
      return event.kind == TriggerEvent::Kind::kTaskStarted && matches_task(event);
    case TriggerKind::kTaskEnded:
      return event.kind == TriggerEvent::Kind::kTaskEnded && matches_task(event);
    case TriggerKind::kStateEntered:
      return event.kind == TriggerEvent::Kind::kStateEntered &&
             event.state_name == spec_.trigger.match;
  }
  return false;
}

std::vector<FaultOrder> InjectorPolicy::fire(const TriggerEvent& event,
                                             std::vector<Candidate> candidates) {
  if (!matches(event) || firings_ >= spec_.trigger.max_firings) return {};
  if (spec_.trigger.probability < 1.0) {
    // Always draw, so one firing's decision never shifts the next ones' draws
    // differently depending on the probability.
    if (draw_unit(random_) >= spec_.trigger.probability) return {};
  }
  const auto targets = pick(event, std::move(candidates));
  if (targets.empty()) return {};
  ++firings_;
  std::vector<FaultOrder> orders;
  orders.reserve(targets.size());
  for (const auto& target : targets) {
    FaultOrder order;
    order.fault = spec_.fault;
    order.worker = target.worker;
    order.pool = target.pool;
    order.due = event.at + spec_.trigger.delay;
    order.cause = event;
    orders.push_back(std::move(order));
  }
  return orders;
}

std::vector<Candidate> InjectorPolicy::pick(const TriggerEvent& event,
                                            std::vector<Candidate> candidates) {
  const auto& target = spec_.target;
  if (target.kind == TargetKind::kTaskWorker) {
    if (!is_task_event(event.kind) || event.worker.empty()) return {};
    return {Candidate{event.worker, event.pool}};
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.worker < b.worker; });
  if (!target.pool.empty()) {
    std::erase_if(candidates, [&](const Candidate& c) { return c.pool != target.pool; });
  }
  std::size_t wanted = candidates.size();
  switch (target.kind) {
    case TargetKind::kPool:
    case TargetKind::kAllWorkers:
      return candidates;
    case TargetKind::kRandomWorkers:
      wanted = static_cast<std::size_t>(std::max(target.count, 0));
      break;
    case TargetKind::kPercentWorkers:
      wanted = static_cast<std::size_t>(
          std::ceil(static_cast<double>(candidates.size()) * target.percent / 100.0));
      break;
    case TargetKind::kTaskWorker:
      break;
  }
  wanted = std::min(wanted, candidates.size());
  // A partial Fisher-Yates shuffle: the first `wanted` are a uniform sample.
  for (std::size_t i = 0; i < wanted; ++i) {
    const auto pick = i + draw_below(random_, candidates.size() - i);
    std::swap(candidates[i], candidates[pick]);
  }
  candidates.resize(wanted);
  return candidates;
}

}  // namespace loveless::injectors
