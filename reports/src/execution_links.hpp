#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"

namespace loveless::reports {

/// An execution the HTML report flags: it did not succeed, or a check found
/// its output diverged from control; with the faults attributed to it.
struct FlaggedExecution {
  /// Its position in `history.executions` (the anchor `<prefix>-exec-<index>`).
  std::size_t index = 0;
  /// `ended FAILED`, `was still RUNNING when the run ended`, `output diverged
  /// from control`, `flagged by <check>`.
  std::string why;
  /// Fault ids (`FaultRecord::id`), ascending: those the verdicts' evidence
  /// names for it (`data.faults[*].fault`, as all_executions_succeed and
  /// outputs_match_control write them), joined with `checks::attribute`'s
  /// for an execution that did not succeed, so a report read back from JSON
  /// links the same faults.
  std::vector<std::uint64_t> faults;
};

/// The flagged executions of `history`, in its order: those that did not
/// succeed, and those a failed verdict's evidence item with a `faults` array
/// names although they succeeded (in `data.chaos_execution.execution`: the
/// output diverged; in `data.execution`: `flagged by <check>`, e.g. one that
/// should have failed). Never throws on odd evidence data (ignores what it
/// cannot read).
std::vector<FlaggedExecution> flagged_executions(const history::History& history,
                                                 const std::vector<checks::Verdict>& verdicts);

}  // namespace loveless::reports
