#include "timeline_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>

#include "loveless/checks/builtin.hpp"
#include "loveless/injectors/fault_types.hpp"

#include "report_support.hpp"
#include "xml_text.hpp"

namespace loveless::reports {
namespace {

using history::TimePoint;

constexpr double kLabelWidth = 170;
constexpr double kChartWidth = 1000;
constexpr double kRightPad = 16;
constexpr double kAxisHeight = 34;
constexpr double kRowHeight = 28;
/// Within a row: the lifeline and fault markers, the bars, the recovery spans.
constexpr double kMarkerY = 11;
constexpr double kBarY = 5;
constexpr double kBarHeight = 12;
constexpr double kSpanY = 23;

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + xml_escape(value, true) + "\"";
}

std::string attr(const std::string& name, double value) {
  return " " + name + "=\"" + number(value) + "\"";
}

std::string duration_text(double seconds) {
  if (seconds < 1) return std::to_string(std::llround(seconds * 1000)) + " ms";
  return relative_text(seconds).substr(1);
}

/// Seconds since the run's start, and their x.
class Scale {
 public:
  explicit Scale(const history::History& history) : origin_(run_origin(history)) {
    const auto widen = [&](TimePoint at) {
      const auto s = seconds(at);
      left_ = std::min(left_, s);
      right_ = std::max(right_, s);
    };
    for (const auto& window : history.phases) {
      widen(window.start);
      widen(window.end);
    }
    for (const auto& execution : history.executions) {
      widen(execution.start);
      if (execution.stop) widen(*execution.stop);
    }
    for (const auto& task : history.tasks) {
      if (task.started) widen(*task.started);
      if (task.ended) widen(*task.ended);
    }
    for (const auto& fault : history.faults) widen(fault.applied + fault.duration);
    for (const auto& event : history.worker_events) widen(event.at);
    if (right_ - left_ < 0.001) right_ = left_ + 1;
  }

  [[nodiscard]] double seconds(TimePoint at) const {
    return std::chrono::duration<double>(at - origin_).count();
  }
  [[nodiscard]] double x(double seconds) const {
    return kLabelWidth + (seconds - left_) / (right_ - left_) * kChartWidth;
  }
  [[nodiscard]] double x(TimePoint at) const { return x(seconds(at)); }
  [[nodiscard]] double left() const { return left_; }
  [[nodiscard]] double right() const { return right_; }

 private:
  TimePoint origin_;
  double left_ = 0;
  double right_ = 0;
};

/// Tick lines and `+N s` labels at a 1, 2 or 5 x 10^k s step, about ten.
std::string axis(const Scale& scale, double height) {
  const double span = scale.right() - scale.left();
  double step = std::pow(10.0, std::floor(std::log10(span / 10)));
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (span / (step * factor) <= 12) {
      step *= factor;
      break;
    }
  }
  step = std::max(step, 0.001);
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  std::string svg = "<g class=\"axis\">";
  const auto last = static_cast<long long>(std::floor(scale.right() / step + 1e-6));
  for (auto k = static_cast<long long>(std::ceil(scale.left() / step - 1e-6)); k <= last; ++k) {
    // k * step, not a running sum: no drift, and no -0.
    const double tick = k == 0 ? 0.0 : static_cast<double>(k) * step;
    char label[32];
    std::snprintf(label, sizeof label, "%s%.*f s", tick < -1e-9 ? "" : "+", decimals, tick);
    const auto x = scale.x(tick);
    svg += "<line class=\"tick\"" + attr("x1", x) + attr("y1", kAxisHeight - 4) + attr("x2", x) +
           attr("y2", height) + "/><text class=\"tick-label\"" + attr("x", x) +
           attr("y", kAxisHeight - 8) + ">" + label + "</text>";
  }
  return svg + "</g>";
}

std::string phases(const history::History& history, const Scale& scale, double height) {
  std::string svg;
  for (const auto& window : history.phases) {
    const auto name = std::string(history::to_string(window.phase));
    const auto x0 = scale.x(window.start);
    const auto width = std::max(scale.x(window.end) - x0, 1.0);
    svg += "<rect class=\"phase phase-" + name + "\"";
    svg += attr("x", x0) + attr("y", 0.0) + attr("width", width) + attr("height", height);
    svg += "><title>" + name + " phase " + relative_text(scale.seconds(window.start)) + " to ";
    svg += relative_text(scale.seconds(window.end)) + "</title></rect>";
    svg += "<text class=\"phase-label\"" + attr("x", x0 + 4) + attr("y", 12.0) + ">" + name +
           "</text>";
  }
  return svg;
}

struct Row {
  std::string worker;
  std::string pool;
  double first_seen = 0;
  bool faulted = false;
  std::string content;
};

bool drawn_before(const Row& a, const Row& b) {
  if (a.pool != b.pool) return a.pool < b.pool;
  if (a.first_seen != b.first_seen) return a.first_seen < b.first_seen;
  return a.worker < b.worker;
}

/// Every worker the history names, pools by name, then by first appearance.
/// Beyond `limit`, workers that took a fault are kept first: the faults are
/// what the timeline is for.
std::vector<Row> worker_rows(const history::History& history, const Scale& scale,
                             std::size_t limit) {
  std::map<std::string, Row> rows;
  const auto see = [&](const std::string& worker, const std::string& pool, TimePoint at) -> Row* {
    if (worker.empty()) return nullptr;
    auto [it, added] = rows.try_emplace(worker, Row{worker, pool, scale.seconds(at), false, ""});
    if (!added) it->second.first_seen = std::min(it->second.first_seen, scale.seconds(at));
    if (it->second.pool.empty()) it->second.pool = pool;
    return &it->second;
  };
  for (const auto& task : history.tasks) {
    see(task.worker, task.pool, task.started.value_or(task.scheduled));
  }
  for (const auto& fault : history.faults) {
    if (auto* row = see(fault.worker, fault.pool, fault.applied)) row->faulted = true;
  }
  for (const auto& event : history.worker_events) see(event.worker, event.pool, event.at);
  std::vector<Row> sorted;
  sorted.reserve(rows.size());
  for (auto& [worker, row] : rows) sorted.push_back(std::move(row));
  std::stable_sort(sorted.begin(), sorted.end(), drawn_before);
  if (sorted.size() > limit) {
    std::stable_partition(sorted.begin(), sorted.end(), [](const Row& row) { return row.faulted; });
    sorted.resize(limit);
    std::stable_sort(sorted.begin(), sorted.end(), drawn_before);
  }
  return sorted;
}

/// The lifeline from the worker's start to its end, and a tick where it died.
std::string lifeline(const history::History& history, const Row& row, const Scale& scale) {
  std::optional<double> started;
  std::optional<double> ended;
  std::string deaths;
  for (const auto& event : history.worker_events) {
    if (event.worker != row.worker) continue;
    const auto at = scale.seconds(event.at);
    if (event.kind == "started" || event.kind == "restarted") {
      if (!started) started = at;
      ended.reset();
    } else if (event.kind == "died" || event.kind == "killed" || event.kind == "stopped") {
      ended = at;
    }
    if (event.kind == "died") {
      deaths += "<path class=\"death\" d=\"M" + number(scale.x(at)) + " 4v14\"><title>" +
                xml_escape(row.worker + " died at " + relative_text(at) +
                           (event.detail.empty() ? "" : ": " + event.detail)) +
                "</title></path>";
    }
  }
  return "<line class=\"lifeline\"" + attr("x1", scale.x(started.value_or(scale.left()))) +
         attr("y1", kMarkerY) + attr("x2", scale.x(ended.value_or(scale.right()))) +
         attr("y2", kMarkerY) + "/>" + deaths;
}

std::string execution_text(const history::History& history, const std::string& arn) {
  const auto* execution = history.execution(arn);
  if (execution == nullptr) return "execution " + arn;
  return std::string(history::to_string(execution->phase)) + " execution " +
         (execution->name.empty() ? arn : execution->name);
}

std::string task_bar(const history::History& history, const history::TaskRecord& task,
                     const Scale& scale, const std::map<std::string, std::size_t>& flagged,
                     const std::string& prefix) {
  const auto start = scale.seconds(task.started.value_or(task.scheduled));
  const auto end = task.ended ? scale.seconds(*task.ended) : scale.right();
  const auto x0 = scale.x(start);
  const auto outcome = std::string(history::to_string(task.outcome));
  std::string title = (task.state_name.empty() ? "a task" : task.state_name) + " of " +
                      execution_text(history, task.execution_arn) + " on " + task.worker + ": " +
                      outcome;
  if (!task.error.empty()) title += " (" + task.error + ")";
  title += ", " + relative_text(start) + " to " +
           (task.ended ? relative_text(end) + " (" + duration_text(end - start) + ")"
                       : std::string("the end of the history"));
  std::string bar = "<rect class=\"task " + outcome + "\"" + attr("x", x0) + attr("y", kBarY) +
                    attr("width", std::max(scale.x(end) - x0, 2.0)) + attr("height", kBarHeight) +
                    attr("fill", execution_colour(task.execution_arn)) + "><title>" +
                    xml_escape(title) + "</title></rect>";
  const auto link = flagged.find(task.execution_arn);
  if (link == flagged.end()) return bar;
  return "<a class=\"flagged\" href=\"#" + xml_escape(prefix, true) + "-exec-" +
         std::to_string(link->second) + "\">" + bar + "</a>";
}

std::string fault_marker(const history::FaultRecord& fault, const Scale& scale,
                         const std::string& prefix) {
  const auto kind = std::string(history::to_string(fault.kind));
  const auto at = scale.seconds(fault.applied);
  std::string title = kind + " #" + std::to_string(fault.id) + " of " + fault.worker;
  if (fault.duration.count() > 0) {
    title += " for " + duration_text(static_cast<double>(fault.duration.count()) / 1000);
  }
  title += " at " + relative_text(at);
  if (!fault.pool.empty()) title += " (pool " + fault.pool + ")";
  if (!fault.injector.empty()) title += " [" + fault.injector + "]";
  if (!fault.applied_ok) title += "; not applied: " + fault.error;
  std::string span;
  if (fault.duration.count() > 0) {
    const auto width = scale.x(fault.applied + fault.duration) - scale.x(fault.applied);
    span = "<path class=\"duration\" d=\"M0 0h" + number(width) + "\"/>";
  }
  return "<g class=\"fault fault-" + kind + (fault.applied_ok ? "" : " not-applied") + "\"" +
         attr("id", prefix + "-fault-" + std::to_string(fault.id)) +
         attr("data-fault", std::to_string(fault.id)) + " transform=\"translate(" +
         number(scale.x(at)) + " " + number(kMarkerY) + ")\"><title>" + xml_escape(title) +
         "</title>" + span + "<path class=\"mark\" d=\"" +
         std::string(injectors::fault_marker(fault.kind).path) + "\"/></g>";
}

std::string recovery_span(const history::History& history, const checks::DisruptionTiming& timing,
                          const history::FaultRecord& fault, const Scale& scale) {
  const auto start = scale.seconds(fault.applied);
  const auto x0 = scale.x(start);
  std::string title = "fault #" + std::to_string(fault.id) + " (" +
                      std::string(history::to_string(fault.kind)) + " of " + fault.worker +
                      ") disrupted " + timing.state_name + " of " +
                      execution_text(history, timing.execution_arn) + ": ";
  std::string end_x;
  std::string classes = "recovery";
  if (timing.recovery) {
    const auto end = start + static_cast<double>(timing.recovery->count()) / 1000;
    title += "recovered " + duration_text(end - start) + " later, at " + relative_text(end);
    end_x = number(scale.x(end));
  } else {
    title += "UNRECOVERED: no later attempt succeeded";
    end_x = number(scale.x(scale.right()));
    classes += " unrecovered";
  }
  std::string detected;
  if (timing.detection) {
    const auto at = start + static_cast<double>(timing.detection->count()) / 1000;
    title += "; detected after " + duration_text(at - start);
    detected = "<circle class=\"detected\"" + attr("cx", scale.x(at)) + attr("cy", kSpanY) +
               attr("r", 2.5) + "/>";
  }
  return "<g class=\"" + classes + "\"" + attr("data-fault", std::to_string(fault.id)) +
         "><title>" + xml_escape(title) + "</title><path d=\"M" + number(x0) + " " +
         number(kSpanY) + "H" + end_x + "M" + end_x + " " + number(kSpanY - 4) + "v8\"/>" +
         detected + "</g>";
}

std::string note(const std::string& text) {
  return "<p class=\"timeline-note\">" + xml_escape(text) + "</p>\n";
}

/// The rows `worker_rows` keeps within `limit`, with a note of those left out.
std::vector<Row> drawn_rows(const history::History& history, const Scale& scale, std::size_t limit,
                            std::vector<std::string>& notes) {
  auto rows = worker_rows(history, scale, limit);
  if (const auto all = worker_rows(history, scale, std::numeric_limits<std::size_t>::max()).size();
      all > rows.size()) {
    notes.push_back(std::to_string(all - rows.size()) + " more workers are not drawn (" +
                    std::to_string(rows.size()) + " are: those that took faults first), nor " +
                    "their tasks; the JSON report has them");
  }
  return rows;
}

/// The tasks of drawn workers in start order, the first `limit` of them,
/// with notes of those left out and of those that never started.
std::vector<const history::TaskRecord*> drawn_tasks(const history::History& history,
                                                    const std::map<std::string, Row*>& by_worker,
                                                    std::size_t limit,
                                                    std::vector<std::string>& notes) {
  std::vector<const history::TaskRecord*> tasks;
  std::size_t never_started = 0;
  for (const auto& task : history.tasks) {
    if (task.worker.empty()) {
      ++never_started;
    } else if (by_worker.count(task.worker) != 0) {
      tasks.push_back(&task);
    }
  }
  std::stable_sort(tasks.begin(), tasks.end(), [](const auto* a, const auto* b) {
    return a->started.value_or(a->scheduled) < b->started.value_or(b->scheduled);
  });
  if (tasks.size() > limit) {
    notes.push_back(std::to_string(tasks.size() - limit) + " later tasks are not drawn " +
                    "(the first " + std::to_string(limit) + " are)");
    tasks.resize(limit);
  }
  if (never_started > 0) {
    notes.push_back(std::to_string(never_started) +
                    " tasks never started on a worker and have no bar");
  }
  return tasks;
}

/// The faults of drawn workers by id, the first `limit` of them, with a note
/// of those left out.
std::map<std::uint64_t, const history::FaultRecord*> drawn_faults(
    const history::History& history, const std::map<std::string, Row*>& by_worker,
    std::size_t limit, std::vector<std::string>& notes) {
  std::map<std::uint64_t, const history::FaultRecord*> faults;
  std::size_t left_out = 0;
  for (const auto& fault : history.faults) {
    if (by_worker.count(fault.worker) == 0) continue;
    if (faults.size() >= limit) {
      ++left_out;
      continue;
    }
    faults[fault.id] = &fault;
  }
  if (left_out > 0) {
    notes.push_back(std::to_string(left_out) + " later faults are not drawn (the first " +
                    std::to_string(limit) + " are)");
  }
  return faults;
}

/// One worker's row: its background, label, lifeline and drawn content.
std::string row_group(const history::History& history, const Row& row, std::size_t index,
                      const Scale& scale, double width) {
  const auto y = kAxisHeight + kRowHeight * static_cast<double>(index);
  const auto label = row.worker.size() > 24 ? row.worker.substr(0, 23) + "…" : row.worker;
  return "<g class=\"row\"" + attr("data-worker", row.worker) + " transform=\"translate(0 " +
         number(y) + ")\"><rect class=\"row-bg" + (index % 2 == 0 ? " even" : "") + "\"" +
         attr("x", 0.0) + attr("y", 0.0) + attr("width", width) + attr("height", kRowHeight) +
         "/><text class=\"worker\"" + attr("x", 6.0) + attr("y", 15.0) + "><title>" +
         xml_escape(row.worker + (row.pool.empty() ? "" : " (pool " + row.pool + ")")) +
         "</title>" + xml_escape(label) + "</text>" + lifeline(history, row, scale) + row.content +
         "</g>";
}

/// The `<svg>` element: phases, axis and the rows, titled `title`.
std::string chart(const history::History& history, const std::vector<Row>& rows, const Scale& scale,
                  const std::string& title, const std::string& prefix) {
  const double height =
      kAxisHeight + kRowHeight * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 6;
  const double width = kLabelWidth + kChartWidth + kRightPad;
  std::string svg = "<svg class=\"timeline\"" + attr("id", prefix + "-timeline") +
                    attr("width", width) + attr("height", height) + " viewBox=\"0 0 " +
                    number(width) + " " + number(height) + "\"><title>" + title + "</title>";
  svg += phases(history, scale, height) + axis(scale, height);
  for (std::size_t i = 0; i < rows.size(); ++i) svg += row_group(history, rows[i], i, scale, width);
  if (rows.empty()) {
    svg += "<text class=\"empty\"" + attr("x", kLabelWidth + 8) + attr("y", kAxisHeight + 18) +
           ">no worker ran a task or took a fault</text>";
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string execution_colour(const std::string& arn) {
  std::uint32_t hash = 2166136261U;
  for (const char c : arn) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 16777619U;
  }
  return "hsl(" + std::to_string(hash % 360) + "," + std::to_string(50 + (hash >> 9) % 25) + "%," +
         std::to_string(48 + (hash >> 17) % 16) + "%)";
}

std::string timeline_svg(const history::History& history,
                         const std::vector<FlaggedExecution>& flagged, const std::string& prefix,
                         const TimelineLimits& limits) {
  const Scale scale(history);
  std::vector<std::string> notes;
  auto rows = drawn_rows(history, scale, limits.rows, notes);
  std::map<std::string, Row*> by_worker;
  for (auto& row : rows) by_worker[row.worker] = &row;

  const auto tasks = drawn_tasks(history, by_worker, limits.bars, notes);
  std::map<std::string, std::size_t> flagged_by_arn;
  for (const auto& execution : flagged) {
    flagged_by_arn[history.executions.at(execution.index).arn] = execution.index;
  }
  for (const auto* task : tasks) {
    by_worker[task->worker]->content += task_bar(history, *task, scale, flagged_by_arn, prefix);
  }

  const auto faults = drawn_faults(history, by_worker, limits.markers, notes);
  for (const auto& timing : checks::disruption_timings(history)) {
    const auto fault = faults.find(timing.fault_id);
    if (fault == faults.end()) continue;
    by_worker[fault->second->worker]->content +=
        recovery_span(history, timing, *fault->second, scale);
  }
  for (const auto& [id, fault] : faults) {
    by_worker[fault->worker]->content += fault_marker(*fault, scale, prefix);
  }

  std::string svg =
      chart(history, rows, scale,
            std::to_string(rows.size()) + " workers, " + std::to_string(tasks.size()) + " tasks, " +
                std::to_string(faults.size()) + " faults",
            prefix);
  for (const auto& text : notes) svg += note(text);
  return svg;
}

}  // namespace loveless::reports
