#pragma once

// Figures more than one reporter shows, computed one way.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"

namespace loveless::reports {

/// How long the run took: from the first phase's start to the last phase's
/// end, or without phases from the first execution's start to the last stop;
/// zero when the history has neither.
std::chrono::milliseconds run_duration(const history::History& history);

/// Where times relative to the run start from: the first phase's start, else
/// the first execution's, else the first fault's, else the first task's
/// scheduling (the checks' `+12.3 s` count from the same point).
history::TimePoint run_origin(const history::History& history);

/// Seconds since the origin, as the checks write them: `+12.3 s`, `-0.5 s`.
std::string relative_text(double seconds);

/// Whether `fault` is one of the cold phase's disposals (the wipe and stop
/// that give no_local_state_reliance a fresh worker per task), not an
/// injector's: it was triggered within the cold phase.
bool cold_phase_disposal(const history::History& history, const history::FaultRecord& fault);
/// The injectors' faults whose primitive succeeded (`applied_ok`): the ones
/// that happened. The cold phase's disposals are not counted: a scenario
/// with one kill read "36 faults" for its 32 fresh cold workers.
std::size_t applied_faults(const history::History& history);
/// The injectors' faults, applied or not.
std::size_t injected_faults(const history::History& history);
/// The cold phase's disposals that were applied.
std::size_t cold_phase_disposals(const history::History& history);

/// How many verdicts have `outcome`.
std::size_t count_outcome(const std::vector<checks::Verdict>& verdicts, checks::Outcome outcome);

/// What a `[!shouldfail]` scenario that no check failed says after "but no
/// check failed": `; unknown: no local-state reliance` when checks could not
/// decide (an unknown verdict is no failure, and without this it read like a
/// pass), else empty.
std::string undecided_checks_note(const std::vector<checks::Verdict>& verdicts);

/// A file name for a scenario: letters and digits kept, runs of anything else
/// as one `-` (`suite test: echo passes` -> `suite-test-echo-passes`);
/// `scenario` when nothing is left.
std::string slug(const std::string& name);

/// Seconds with three decimals, as JUnit writes times (`12.345`).
std::string seconds_text(std::chrono::milliseconds duration);

/// `[demo][kill]`.
std::string tags_text(const std::vector<std::string>& tags);

}  // namespace loveless::reports
