#include "report_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace loveless::reports {

std::chrono::milliseconds run_duration(const history::History& history) {
  std::optional<history::TimePoint> first;
  std::optional<history::TimePoint> last;
  const auto widen = [&](history::TimePoint from, history::TimePoint to) {
    first = first ? std::min(*first, from) : from;
    last = last ? std::max(*last, to) : to;
  };
  for (const auto& window : history.phases) widen(window.start, window.end);
  if (!first) {
    for (const auto& execution : history.executions) {
      widen(execution.start, execution.stop.value_or(execution.start));
    }
  }
  if (!first || *last < *first) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(*last - *first);
}

history::TimePoint run_origin(const history::History& history) {
  std::optional<history::TimePoint> origin;
  const auto consider = [&](history::TimePoint at) {
    origin = origin ? std::min(*origin, at) : at;
  };
  for (const auto& window : history.phases) consider(window.start);
  if (!origin) {
    for (const auto& execution : history.executions) consider(execution.start);
  }
  if (!origin) {
    for (const auto& fault : history.faults) consider(fault.applied);
  }
  if (!origin) {
    for (const auto& task : history.tasks) consider(task.scheduled);
  }
  return origin.value_or(history::TimePoint{});
}

std::string relative_text(double seconds) {
  const auto tenths = std::llround(seconds * 10);
  const auto magnitude = tenths < 0 ? -tenths : tenths;
  return std::string(tenths < 0 ? "-" : "+") + std::to_string(magnitude / 10) + "." +
         std::to_string(magnitude % 10) + " s";
}

bool cold_phase_disposal(const history::History& history, const history::FaultRecord& fault) {
  const auto* cold = history.window(history::Phase::kCold);
  return cold != nullptr && fault.triggered >= cold->start && fault.triggered <= cold->end;
}

std::size_t applied_faults(const history::History& history) {
  return static_cast<std::size_t>(std::count_if(
      history.faults.begin(), history.faults.end(),
      [&](const auto& fault) { return fault.applied_ok && !cold_phase_disposal(history, fault); }));
}

std::size_t injected_faults(const history::History& history) {
  return static_cast<std::size_t>(
      std::count_if(history.faults.begin(), history.faults.end(),
                    [&](const auto& fault) { return !cold_phase_disposal(history, fault); }));
}

std::size_t cold_phase_disposals(const history::History& history) {
  return static_cast<std::size_t>(std::count_if(
      history.faults.begin(), history.faults.end(),
      [&](const auto& fault) { return fault.applied_ok && cold_phase_disposal(history, fault); }));
}

std::size_t count_outcome(const std::vector<checks::Verdict>& verdicts, checks::Outcome outcome) {
  return static_cast<std::size_t>(
      std::count_if(verdicts.begin(), verdicts.end(),
                    [&](const auto& verdict) { return verdict.outcome == outcome; }));
}

std::string slug(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (keep) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "scenario" : out;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  const auto ms = std::max<std::int64_t>(0, duration.count());
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03lld", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return text;
}

std::string tags_text(const std::vector<std::string>& tags) {
  std::string text;
  for (const auto& tag : tags) text += "[" + tag + "]";
  return text;
}

std::string undecided_checks_note(const std::vector<checks::Verdict>& verdicts) {
  std::string names;
  for (const auto& verdict : verdicts) {
    if (verdict.outcome != checks::Outcome::kUnknown) continue;
    names += (names.empty() ? "" : ", ") + verdict.check;
  }
  return names.empty() ? std::string() : "; unknown: " + names;
}

}  // namespace loveless::reports
