#pragma once

// Chaos-phase task failures that no injected fault explains: the evidence
// no_local_state_reliance needs when a fault reveals state a worker kept (a
// retry that expects the checkpoint its killed attempt left on the worker)
// and warm and cold, which inject nothing, agree (docs/checks.md, "Chaos
// executions").

#include <optional>

#include "loveless/history/history.hpp"

namespace loveless::checks::detail {

/// Whether `fault` (applied) touched `task`'s worker while the task ran: it
/// was applied then, or a pause or latency applied earlier still lasted. Any
/// kind counts, a wipe too: a file wiped from under a task explains its
/// failure as well as a kill does.
bool touched_while_running(const history::FaultRecord& fault, const history::TaskRecord& task);

/// The first kill, stop, restart, pause or latency fault that struck `task`'s
/// worker while it ran (its failure is recovery's business), or null.
const history::FaultRecord* disrupting_fault(const history::History& history,
                                             const history::TaskRecord& task);

/// A failed chaos task that no fault explains, and the attempt a fault broke
/// before it (the retry's predecessor), when there was one.
struct UnexplainedFailure {
  const history::TaskRecord* task = nullptr;
  /// The latest earlier task of the same state in the same execution that a
  /// disrupting fault (kill, stop, restart, pause, latency) struck, and that
  /// fault; null when no earlier attempt was broken.
  const history::TaskRecord* broken_attempt = nullptr;
  const history::FaultRecord* fault = nullptr;
};

/// The first task of `execution` (a chaos execution) that started on a
/// worker, failed with an error of its own (not a timeout, not the death of
/// its Lambda environment: those are what faults do) while no fault touched
/// that worker, at a state where no cold or control execution of the same
/// input ever failed with that error. nullopt when there is none.
std::optional<UnexplainedFailure> unexplained_failure(const history::History& history,
                                                      const history::ExecutionRecord& execution);

}  // namespace loveless::checks::detail
