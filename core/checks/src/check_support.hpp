#pragma once

// Helpers the built-in checks share: how evidence names times, durations,
// executions and tasks, and how two outputs are compared.

#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"

#include "cold_varying_paths.hpp"

namespace loveless::checks::detail {

using history::TimePoint;

/// The moment evidence times are relative to: the start of the first phase,
/// else the first execution's start, else the first fault, else the epoch.
TimePoint origin_of(const history::History& history);

/// `at` rounded to the nearest millisecond, the precision of history event
/// timestamps (`1700000000.123`): compare the runner's own times (faults,
/// scratch accesses) with task times only at this precision, or a fault
/// applied 0.3 ms after ActivityStarted may seem to precede it.
TimePoint round_ms(TimePoint at);

/// Whether `fault` (a disrupting one, applied) went out while `task` ran on
/// its worker: from the task's start to its end, both included at
/// millisecond precision. The end is included because the orchestrator
/// records a killed task's failure within the millisecond the kill lands.
bool struck_while_running(const history::FaultRecord& fault, const history::TaskRecord& task);

/// `+3.2 s` relative to `origin` (tenths of a second; `-0.4 s` before it).
std::string relative_time(TimePoint at, TimePoint origin);
/// Seconds relative to `origin`, rounded to milliseconds (for evidence data).
double relative_seconds(TimePoint at, TimePoint origin);

/// `850 ms` below a second, `2.1 s` (tenths), `15 s` (whole seconds as such).
std::string format_duration(std::chrono::milliseconds duration);
std::chrono::milliseconds milliseconds_between(TimePoint from, TimePoint to);

/// `chaos execution doc-3`.
std::string execution_label(const history::ExecutionRecord& execution);
/// `{"execution": ARN, "name": ..., "phase": ..., "input_index": ...}`.
nlohmann::json execution_data(const history::ExecutionRecord& execution);
/// `CountWords of chaos execution doc-3`, or `CountWords of execution <arn>`
/// when the history holds no record of the execution.
std::string task_label(const history::History& history, const history::TaskRecord& task);
nlohmann::json task_data(const history::TaskRecord& task, TimePoint origin);

/// The JSON text of `value`, cut to `limit` characters with `...`.
std::string json_snippet(const nlohmann::json& value, std::size_t limit = 80);
/// `text` cut to `limit` characters with `...`.
std::string truncate(std::string_view text, std::size_t limit);

/// Faults attributed to `execution`, as one clause for an evidence text
/// (`faults before it: kill of w-2 at +3.2 s (...); ...` or `no fault hit
/// the workers that ran its tasks`) and as data.
struct AttributionSummary {
  std::string text;
  nlohmann::json data = nlohmann::json::array();
};
AttributionSummary summarize_attribution(const history::History& history,
                                         const history::ExecutionRecord& execution);

// ---- output comparison ------------------------------------------------------

/// Removes what `path` (a JSONPath as the Amazon States Language takes it:
/// asl::JsonPath, with wildcards, unions, slices, filters and recursive
/// descent; not `$$`) selects from `value`: object members are erased, array
/// elements become null, `$` makes the whole value null. Returns an error
/// text when `path` is no such path; a path that selects nothing changes nothing.
std::optional<std::string> remove_json_path(nlohmann::json& value, std::string_view path);
/// Checks `path` without applying it: the error text, or nullopt.
std::optional<std::string> validate_json_path(std::string_view path);
/// `execution`'s output as the checks compare it: its own ARN and name
/// masked (execution_identity.hpp), then `comparison.ignore_paths` removed
/// (validated beforehand: an invalid one is skipped).
nlohmann::json comparable_output(const history::ExecutionRecord& execution,
                                 const OutputComparison& comparison);
/// `/a, /b/c`: places for an evidence text.
std::string join_paths(const std::set<std::string>& paths);

/// The first place two JSON values differ, in document order (object members
/// by key, array elements by index).
struct JsonDifference {
  /// A JSON Pointer (RFC 6901); "" for the whole document.
  std::string pointer;
  /// The value on each side; nullopt where the member or element is absent.
  std::optional<nlohmann::json> control;
  std::optional<nlohmann::json> chaos;
};
/// nullopt when `control == chaos`.
std::optional<JsonDifference> first_difference(const nlohmann::json& control,
                                               const nlohmann::json& chaos);

enum class PairState { kMatch, kDiverged, kIncomparable };
/// The comparison of one input's control and chaos executions.
struct PairComparison {
  PairState state = PairState::kIncomparable;
  /// Why the pair diverged or could not be compared, in a few words
  /// (`at /total_words control has 812, chaos has 790`).
  std::string reason;
  nlohmann::json data = nlohmann::json::object();
  /// A match where the outputs differed only in timestamps and UUIDs: where.
  std::vector<std::string> run_varying;
};
/// Compares two outputs after `comparison.ignore_paths` and without the
/// places in `varying` (when given), with the comparator when there is one;
/// without one, outputs that differ only in timestamps and UUIDs match
/// (run_varying_values.hpp). Either record may be null (missing execution).
/// Does not throw: an invalid ignore path or a throwing comparator is
/// incomparable.
PairComparison compare_pair(const history::ExecutionRecord* control,
                            const history::ExecutionRecord* chaos,
                            const OutputComparison& comparison,
                            const VaryingPlaces* varying = nullptr);

// ---- evidence lists -----------------------------------------------------------

/// Keeps at most `limit` items of `items` and adds one that counts the rest.
void cap_evidence(std::vector<Evidence>& items, std::size_t limit, std::string_view what);

inline constexpr std::size_t kEvidenceLimit = 20;

}  // namespace loveless::checks::detail
