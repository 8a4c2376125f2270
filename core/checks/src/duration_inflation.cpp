// duration_inflation() < bound: the chaos phase took at most `bound` times
// as long as the control phase.

#include <cstdio>
#include <optional>

#include "loveless/checks/builtin.hpp"

#include "check_support.hpp"

namespace loveless::checks {

namespace {

/// The phase's wall-clock window: its PhaseWindow, else the first
/// execution's start to the last execution's stop (an execution without a
/// stop counts until its last history event).
struct Window {
  history::TimePoint start{};
  history::TimePoint end{};
  bool from_phase_window = false;
};

std::optional<Window> window_of(const history::History& history, history::Phase phase) {
  if (const auto* window = history.window(phase); window != nullptr) {
    return Window{window->start, window->end, true};
  }
  std::optional<Window> window;
  for (const auto* execution : history.executions_in(phase)) {
    std::optional<history::TimePoint> end = execution->stop;
    if (!end) {
      for (const auto& event : execution->events) {
        const auto timestamp = event.find("timestamp");
        if (timestamp == event.end() || !timestamp->is_number()) continue;
        const auto at = history::from_epoch_seconds(timestamp->get<double>());
        if (!end || *end < at) end = at;
      }
    }
    if (!window) {
      window = Window{execution->start, end.value_or(execution->start), false};
      continue;
    }
    if (execution->start < window->start) window->start = execution->start;
    if (end && window->end < *end) window->end = *end;
  }
  return window;
}

std::string ratio_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

class DurationInflationBelow final : public Check {
 public:
  explicit DurationInflationBelow(double bound) : bound_(bound) {}

  /// Chaos durations against control ones.
  [[nodiscard]] std::vector<history::Phase> phases() const override {
    return {history::Phase::kControl, history::Phase::kChaos};
  }

  [[nodiscard]] std::string name() const override {
    return "duration inflation < " + ratio_text(bound_);
  }

  [[nodiscard]] Verdict evaluate(const history::History& history) const override {
    Verdict verdict;
    verdict.check = name();
    const auto control = window_of(history, history::Phase::kControl);
    const auto chaos = window_of(history, history::Phase::kChaos);
    if (!control || !chaos) {
      verdict.summary =
          std::string("no ") + (control ? "chaos" : "control") + " phase to compare durations with";
      return verdict;
    }
    const auto control_ms = detail::milliseconds_between(control->start, control->end);
    const auto chaos_ms = detail::milliseconds_between(chaos->start, chaos->end);
    verdict.measurements = {
        {"control_ms", control_ms.count()}, {"chaos_ms", chaos_ms.count()}, {"bound", bound_}};
    const auto origin = detail::origin_of(history);
    const auto describe = [&origin](const char* phase, const Window& window,
                                    std::chrono::milliseconds duration) {
      return Evidence{std::string(phase) + " phase took " + detail::format_duration(duration) +
                          " (" + detail::relative_time(window.start, origin) + " to " +
                          detail::relative_time(window.end, origin) +
                          (window.from_phase_window ? ", phase window)"
                                                    : ", first execution start to last end)"),
                      {{"phase", phase},
                       {"duration_ms", duration.count()},
                       {"start_s", detail::relative_seconds(window.start, origin)},
                       {"end_s", detail::relative_seconds(window.end, origin)}}};
    };
    verdict.evidence.push_back(describe("control", *control, control_ms));
    verdict.evidence.push_back(describe("chaos", *chaos, chaos_ms));
    if (control_ms.count() <= 0) {
      verdict.summary = "the control phase took no measurable time";
      return verdict;
    }
    const double inflation =
        static_cast<double>(chaos_ms.count()) / static_cast<double>(control_ms.count());
    verdict.measurements["inflation"] = inflation;
    const bool below = inflation < bound_;
    verdict.outcome = below ? Outcome::kPass : Outcome::kFail;
    verdict.summary = "chaos took " + ratio_text(inflation) + "x control (" +
                      detail::format_duration(chaos_ms) + " vs " +
                      detail::format_duration(control_ms) + "), " +
                      (below ? "below" : "not below") + " the bound " + ratio_text(bound_) + "x";
    return verdict;
  }

 private:
  double bound_;
};

}  // namespace

InflationMetric duration_inflation() { return {}; }

CheckPtr operator<(InflationMetric /*metric*/, double bound) {
  return std::make_shared<DurationInflationBelow>(bound);
}

}  // namespace loveless::checks
