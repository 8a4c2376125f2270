#include "loveless/injectors/injector.hpp"

#include <stdexcept>

namespace loveless::injectors {
namespace {

Injector make(FaultType fault) {
  InjectorSpec spec;
  spec.fault = fault;
  return Injector(std::move(spec));
}

}  // namespace

Injector& Injector::task_worker() {
  spec_.target = {TargetKind::kTaskWorker, "", 1, 0};
  return *this;
}

Injector& Injector::pool(std::string pool) {
  spec_.target = {TargetKind::kPool, std::move(pool), 1, 0};
  return *this;
}

Injector& Injector::all_workers() {
  spec_.target = {TargetKind::kAllWorkers, "", 1, 0};
  return *this;
}

Injector& Injector::random_worker(std::string pool) { return random_workers(1, std::move(pool)); }

Injector& Injector::random_workers(int count, std::string pool) {
  spec_.target = {TargetKind::kRandomWorkers, std::move(pool), count, 0};
  return *this;
}

Injector& Injector::percent_of_workers(double percent, std::string pool) {
  spec_.target = {TargetKind::kPercentWorkers, std::move(pool), 1, percent};
  return *this;
}

Injector& Injector::at(std::chrono::milliseconds offset) {
  spec_.trigger.kind = TriggerKind::kAt;
  spec_.trigger.at = offset;
  return *this;
}

Injector& Injector::every(std::chrono::milliseconds interval, std::chrono::milliseconds jitter) {
  spec_.trigger.kind = TriggerKind::kEvery;
  spec_.trigger.interval = interval;
  spec_.trigger.jitter = jitter;
  return *this;
}

Injector& Injector::on_task_started(std::string match) {
  spec_.trigger.kind = TriggerKind::kTaskStarted;
  spec_.trigger.match = std::move(match);
  return *this;
}

Injector& Injector::on_task_ended(std::string match) {
  spec_.trigger.kind = TriggerKind::kTaskEnded;
  spec_.trigger.match = std::move(match);
  return *this;
}

Injector& Injector::on_state_entered(std::string state) {
  spec_.trigger.kind = TriggerKind::kStateEntered;
  spec_.trigger.match = std::move(state);
  return *this;
}

Injector& Injector::after(std::chrono::milliseconds delay) {
  spec_.trigger.delay = delay;
  return *this;
}

Injector& Injector::with_probability(double p) {
  spec_.trigger.probability = p;
  return *this;
}

Injector& Injector::at_most(int n) {
  spec_.trigger.max_firings = n;
  return *this;
}

Injector kill() { return make(FaultType::kKill); }

Injector stop(std::chrono::milliseconds grace) {
  InjectorSpec spec;
  spec.fault = FaultType::kStop;
  spec.grace = grace;
  return Injector(std::move(spec));
}

Injector restart(std::chrono::milliseconds grace) {
  InjectorSpec spec;
  spec.fault = FaultType::kRestart;
  spec.grace = grace;
  return Injector(std::move(spec));
}

Injector pause(std::chrono::milliseconds duration) {
  InjectorSpec spec;
  spec.fault = FaultType::kPause;
  spec.duration = duration;
  return Injector(std::move(spec));
}

Injector latency(std::chrono::milliseconds delay, std::chrono::milliseconds duration) {
  InjectorSpec spec;
  spec.fault = FaultType::kLatency;
  spec.latency = delay;
  spec.duration = duration;
  return Injector(std::move(spec));
}

Injector wipe_scratch() { return make(FaultType::kWipeScratch); }

Injector disposable(std::string pool) {
  InjectorSpec spec;
  spec.fault = FaultType::kDisposable;
  spec.grace = std::chrono::milliseconds(500);
  spec.trigger.kind = TriggerKind::kTaskEnded;
  spec.trigger.match = std::move(pool);
  spec.target = {TargetKind::kTaskWorker, "", 1, 0};
  return Injector(std::move(spec));
}

}  // namespace loveless::injectors
