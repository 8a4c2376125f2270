#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "loveless/history/history.hpp"

#include "execution_links.hpp"

namespace loveless::reports {

/// The most one timeline draws, so that a run with thousands of tasks still
/// gives a file a browser opens at once (a bar is about 300 bytes of SVG).
/// What a limit leaves out is counted in a note under the timeline; the JSON
/// report has all of it.
struct TimelineLimits {
  /// Worker rows (pools first by name, then workers by first appearance).
  std::size_t rows = 100;
  /// Task bars, earliest start first.
  std::size_t bars = 3000;
  /// Fault markers, in the order applied; as many recovery spans.
  std::size_t markers = 1000;
};

/// One scenario's timeline: an inline `<svg class="timeline">` (no external
/// reference, no script) followed by `<p class="timeline-note">` lines for
/// what it leaves out.
///
/// - x: seconds since the run's start (the first phase's start, else the
///   first execution's), 1000 px wide whatever the run's length; the control
///   and chaos phase windows shaded and labelled, ticks at 1, 2 or 5 x 10^k s.
/// - One `<g class="row" data-worker="W">` per worker that ran a task, took a
///   fault or has pool events, 28 px high: its lifeline from its `started`
///   pool event to its last `died`, `killed` or `stopped` one (`died` marked).
/// - One `<rect class="task OUTCOME">` per task that started on a drawn
///   worker (OUTCOME `succeeded`, `failed`, `timed-out` or `open`), filled
///   with its execution's colour (a hash of the ARN: stable across reports);
///   a bar of a flagged execution is a link to `#<prefix>-exec-<index>`.
/// - One `<g class="fault fault-KIND" id="<prefix>-fault-<id>">` per fault on
///   its worker's row at its applied time, a shape per kind, hollow when the
///   primitive failed, a line for a pause's or latency's duration, and a
///   `<title>` tooltip (kind, id, worker, time, injector).
/// - One `<g class="recovery">` per disruption (`checks::disruption_timings`)
///   under the fault's row, from the fault to the work succeeding elsewhere
///   (`unrecovered`: to the end), a dot where the orchestrator detected it.
std::string timeline_svg(const history::History& history,
                         const std::vector<FlaggedExecution>& flagged, const std::string& prefix,
                         const TimelineLimits& limits = {});

/// `hsl(H,S%,L%)`: the colour of the execution with `arn`, the same in every
/// report.
std::string execution_colour(const std::string& arn);

}  // namespace loveless::reports
