// The table of fault types (fault_types.hpp): one entry per FaultType.

#include "loveless/injectors/fault_types.hpp"

#include <stdexcept>

#include "duration_text.hpp"

namespace loveless::injectors {
namespace {

using history::FaultKind;
using stacks::Primitive;
using stacks::Worker;
using stacks::WorkerState;

std::vector<std::string> no_fields(const InjectorSpec& /*spec*/) { return {}; }

std::vector<std::string> positive_duration(const InjectorSpec& spec) {
  if (spec.duration.count() > 0) return {};
  return {"the fault needs a positive duration"};
}

std::vector<std::string> positive_duration_and_delay(const InjectorSpec& spec) {
  auto problems = positive_duration(spec);
  if (spec.latency.count() <= 0) problems.emplace_back("latency needs a positive delay");
  return problems;
}

FaultDefinition kill_type() {
  FaultDefinition d;
  d.type = FaultType::kKill;
  d.name = "kill";
  d.primitives = {Primitive::kKill};
  d.validate = no_fields;
  d.describe = [](const InjectorSpec&) { return std::string("kill"); };
  d.steps = {{FaultKind::kKill, [](Worker& w, const InjectorSpec&) { w.kill(); }}};
  d.recorded_as = FaultKind::kKill;
  d.disrupts_task = true;
  d.marker = {"M-5-5L5 5M5-5L-5 5", "stroke:#e53935;fill:none;stroke-width:3", ""};
  return d;
}

FaultDefinition stop_type() {
  FaultDefinition d;
  d.type = FaultType::kStop;
  d.name = "stop";
  d.primitives = {Primitive::kStop};
  d.validate = no_fields;
  d.describe = [](const InjectorSpec& spec) { return "stop (grace " + millis(spec.grace) + ")"; };
  d.steps = {{FaultKind::kStop, [](Worker& w, const InjectorSpec& s) { w.stop(s.grace); }, true}};
  d.recorded_as = FaultKind::kStop;
  d.disrupts_task = true;
  d.marker = {"M-5-5h10v10h-10z", "stroke:#3e2723;fill:#5d4037", ""};
  return d;
}

FaultDefinition restart_type() {
  FaultDefinition d;
  d.type = FaultType::kRestart;
  d.name = "restart";
  d.primitives = {Primitive::kRestart};
  d.validate = no_fields;
  d.describe = [](const InjectorSpec& spec) {
    return "restart (grace " + millis(spec.grace) + ")";
  };
  d.steps = {
      {FaultKind::kRestart, [](Worker& w, const InjectorSpec& s) { w.restart(s.grace); }, true}};
  d.recorded_as = FaultKind::kRestart;
  d.disrupts_task = true;
  d.marker = {"M-5 0a5 5 0 1 0 10 0a5 5 0 1 0-10 0", "stroke:#e65100;fill:#ff9800", ""};
  return d;
}

FaultDefinition pause_type() {
  FaultDefinition d;
  d.type = FaultType::kPause;
  d.name = "pause";
  d.primitives = {Primitive::kPause, Primitive::kResume};
  d.validate = positive_duration;
  d.describe = [](const InjectorSpec& spec) { return "pause for " + millis(spec.duration); };
  d.steps = {{FaultKind::kPause, [](Worker& w, const InjectorSpec&) { w.pause(); }}};
  // A worker killed or replaced while paused has nothing to resume.
  d.heal = [](Worker& w) {
    if (w.state() == WorkerState::kPaused) w.resume();
  };
  d.overlap = Overlap::kFirstEndHeals;
  d.heal_failure = "cannot resume";
  d.recorded_as = FaultKind::kPause;
  d.disrupts_task = true;
  d.marker = {"M-2.5-5v10M2.5-5v10", "stroke:#1565c0;fill:none", "stroke:#1565c0;fill:none"};
  return d;
}

FaultDefinition latency_type() {
  FaultDefinition d;
  d.type = FaultType::kLatency;
  d.name = "latency";
  d.primitives = {Primitive::kLatency};
  d.validate = positive_duration_and_delay;
  d.describe = [](const InjectorSpec& spec) {
    return "add " + millis(spec.latency) + " latency for " + millis(spec.duration) + " to";
  };
  d.steps = {
      {FaultKind::kLatency, [](Worker& w, const InjectorSpec& s) { w.set_latency(s.latency); }}};
  d.heal = [](Worker& w) {
    if (w.state() != WorkerState::kDead) w.set_latency(std::chrono::milliseconds(0));
  };
  // Overlapping latency faults share the worker's one proxy delay: it is
  // removed when the last of them ends.
  d.overlap = Overlap::kLastEndHeals;
  d.heal_failure = "cannot remove the latency of";
  d.recorded_as = FaultKind::kLatency;
  d.disrupts_task = true;
  d.marker = {"M0-6L6 5H-6z", "stroke:#6a1b9a;fill:#ab47bc", "stroke:#6a1b9a"};
  return d;
}

FaultDefinition wipe_scratch_type() {
  FaultDefinition d;
  d.type = FaultType::kWipeScratch;
  d.name = "wipe-scratch";
  d.primitives = {Primitive::kWipeScratch};
  d.validate = no_fields;
  d.describe = [](const InjectorSpec&) { return std::string("wipe-scratch"); };
  d.steps = {{FaultKind::kWipeScratch, [](Worker& w, const InjectorSpec&) { w.wipe_scratch(); }}};
  d.recorded_as = FaultKind::kWipeScratch;
  d.marker = {"M0-6L6 0L0 6L-6 0z", "stroke:#1b5e20;fill:#43a047", ""};
  return d;
}

// Disposable mode: the worker that ran a task is wiped and replaced (a stop
// with a short grace; the pool starts a fresh worker), recorded as the two
// faults it is made of.
FaultDefinition disposable_type() {
  FaultDefinition d;
  d.type = FaultType::kDisposable;
  d.name = "disposable";
  d.primitives = {Primitive::kWipeScratch, Primitive::kStop};
  d.validate = no_fields;
  d.describe = [](const InjectorSpec&) {
    return std::string("dispose of (wipe scratch and replace)");
  };
  d.steps = {{FaultKind::kWipeScratch, [](Worker& w, const InjectorSpec&) { w.wipe_scratch(); }},
             {FaultKind::kStop, [](Worker& w, const InjectorSpec& s) { w.stop(s.grace); }, true}};
  d.once_per_worker = true;
  return d;
}

std::vector<FaultDefinition> make_table() {
  // In FaultType order: fault_definition indexes it by the enum's value.
  return {kill_type(),    stop_type(),         restart_type(),   pause_type(),
          latency_type(), wipe_scratch_type(), disposable_type()};
}

}  // namespace

const std::vector<FaultDefinition>& fault_definitions() {
  static const std::vector<FaultDefinition> table = make_table();
  return table;
}

const FaultDefinition& fault_definition(FaultType type) {
  const auto& table = fault_definitions();
  const auto index = static_cast<std::size_t>(type);
  if (index >= table.size() || table[index].type != type) {
    throw std::logic_error("no entry for a fault type in the table of fault types");
  }
  return table[index];
}

const FaultDefinition& recorded_definition(FaultKind kind) {
  for (const auto& definition : fault_definitions()) {
    if (definition.recorded_as == kind) return definition;
  }
  throw std::logic_error("no fault type is recorded as " + std::string(history::to_string(kind)));
}

const FaultMarker& fault_marker(FaultKind kind) { return recorded_definition(kind).marker; }

std::chrono::milliseconds lasting(const InjectorSpec& spec) {
  return fault_definition(spec.fault).heal != nullptr ? spec.duration
                                                      : std::chrono::milliseconds(0);
}

}  // namespace loveless::injectors
