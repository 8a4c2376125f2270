#pragma once

// The table of fault types: everything Loveless knows about each kind of fault
// an injector can inject, in one place (injectors/src/fault_types.cpp). Learnt
// from Chaos Mesh (one Apply/Recover pair per chaos kind) and Jepsen (one
// nemesis per fault): adding a fault type is one entry there plus, when it
// needs one, its primitive on each stack (loveless/stacks/worker.hpp).
//
// The runner's nemesis applies and heals faults through this table only;
// validation checks fields and stack capabilities through it; `describe` and
// the reports' markers read it.

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/history/history.hpp"
#include "loveless/injectors/injector.hpp"
#include "loveless/stacks/worker.hpp"

namespace loveless::injectors {

/// One thing applying a fault does to a worker, recorded in the history as a
/// fault of `recorded` kind (a disposal is two: wipe-scratch, then stop).
struct FaultStep {
  history::FaultKind recorded = history::FaultKind::kKill;
  /// Calls the worker's primitive. Throws what the primitive throws
  /// (`stacks::UnsupportedPrimitive`, a platform error): the step is then
  /// recorded as not applied, with the exception's text.
  void (*perform)(stacks::Worker& worker, const InjectorSpec& spec) = nullptr;
  /// Waits up to the spec's grace (stop, restart): the nemesis runs it off its
  /// thread and records it as applied when the call began.
  bool slow = false;
};

/// How a fault that lasts (`FaultDefinition::heal`) is ended when several of
/// that type overlap on one worker.
enum class Overlap {
  kFirstEndHeals,  ///< the first to end heals the worker (pause: one resume)
  kLastEndHeals,   ///< the worker is healed when the last one ends (latency)
};

/// How the HTML report's timeline draws a recorded fault: an SVG path around
/// (0, 0), about 12 px across, and its CSS declarations.
struct FaultMarker {
  std::string_view path;
  std::string_view mark_style;
  /// The style of the line showing how long the fault lasted; empty: none.
  std::string_view duration_style;
};

/// One fault type: its primitives, validation, application, healing,
/// description and drawing.
struct FaultDefinition {
  FaultType type = FaultType::kKill;
  /// The scenario API's name: `kill`, `stop`, ..., `disposable`.
  std::string_view name;
  /// The stack primitives it takes (pause: pause and resume): what validation
  /// checks against each reachable pool's capabilities.
  std::set<stacks::Primitive> primitives;
  /// Field problems, each a clause ("the fault needs a positive duration").
  std::vector<std::string> (*validate)(const InjectorSpec& spec) = nullptr;
  /// The leading phrase of `describe(spec)`: "pause for 2 s".
  std::string (*describe)(const InjectorSpec& spec) = nullptr;
  /// Applied in order, on the one worker an order names.
  std::vector<FaultStep> steps;
  /// A worker is disposed of at most once, however many triggers name it, and
  /// a worker already dead needs no disposal (disposable mode).
  bool once_per_worker = false;
  /// Faults that last `spec.duration`: ends the fault on a worker that may
  /// since have changed state (does nothing when there is nothing to end).
  /// Null: the fault is instantaneous.
  void (*heal)(stacks::Worker& worker) = nullptr;
  Overlap overlap = Overlap::kFirstEndHeals;
  /// The nemesis's console line when `heal` throws: "cannot resume".
  std::string_view heal_failure;
  /// For the types that are also a recorded kind (all but disposable): that
  /// kind, whether a fault of it disrupts the task running on the worker (the
  /// recovery checks time the disruption; wiping scratch does not interrupt
  /// the task) and how the report draws it.
  std::optional<history::FaultKind> recorded_as;
  bool disrupts_task = false;
  FaultMarker marker;
};

/// The definition of `type`. Every `FaultType` has one.
const FaultDefinition& fault_definition(FaultType type);
/// Every definition, in `FaultType` order.
const std::vector<FaultDefinition>& fault_definitions();
/// The definition whose faults the history records as `kind`.
const FaultDefinition& recorded_definition(history::FaultKind kind);
/// How the reports draw a recorded fault of `kind`.
const FaultMarker& fault_marker(history::FaultKind kind);

/// How long a fault of `spec`'s type lasts before it is healed (0: it does
/// not last), as the history's `FaultRecord::duration` records it.
std::chrono::milliseconds lasting(const InjectorSpec& spec);

}  // namespace loveless::injectors
