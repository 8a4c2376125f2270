// recovery_time() / time_to_detect() < bound: per disrupted task, from the
// fault to the work succeeding again (recovery) or to the orchestrator
// recording the failure (detection), by percentile.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "loveless/checks/builtin.hpp"
#include "loveless/injectors/fault_types.hpp"

#include "check_support.hpp"

namespace loveless::checks {

namespace {

using history::ExecutionRecord;
using history::FaultKind;
using history::FaultRecord;
using history::TaskRecord;
using history::TimePoint;

bool disrupts(FaultKind kind) { return injectors::recorded_definition(kind).disrupts_task; }

bool is_success(std::string_view type) {
  return type == "ActivitySucceeded" || type == "LambdaFunctionSucceeded" ||
         type == "TaskSucceeded";
}

bool is_failure(std::string_view type) {
  return type == "ActivityFailed" || type == "ActivityTimedOut" || type == "LambdaFunctionFailed" ||
         type == "LambdaFunctionTimedOut" || type == "TaskFailed" || type == "TaskTimedOut";
}

/// One execution's events linked by previousEventId, and its tasks by the
/// ids of their scheduled and started events.
class EventGraph {
 public:
  EventGraph(const history::History& history, const ExecutionRecord& execution) {
    for (const auto& event : execution.events) {
      if (!event.is_object()) continue;
      const auto id = event.find("id");
      const auto type = event.find("type");
      const auto timestamp = event.find("timestamp");
      if (id == event.end() || !id->is_number_integer() || type == event.end() ||
          !type->is_string() || timestamp == event.end() || !timestamp->is_number()) {
        continue;
      }
      Node node;
      node.type = type->get<std::string>();
      node.at = history::from_epoch_seconds(timestamp->get<double>());
      if (const auto previous = event.find("previousEventId");
          previous != event.end() && previous->is_number_integer()) {
        node.previous = previous->get<std::int64_t>();
      }
      if (type->get_ref<const std::string&>() == "TaskStateEntered") {
        if (const auto details = event.find("stateEnteredEventDetails");
            details != event.end() && details->is_object()) {
          node.entered_state = details->value("name", "");
        }
      }
      nodes_.emplace(id->get<std::int64_t>(), std::move(node));
    }
    for (const auto& [id, node] : nodes_) children_[node.previous].push_back(id);
    for (const auto* task : history.tasks_of(execution.arn)) {
      tasks_[task->scheduled_event_id] = task;
      if (task->started_event_id != 0) tasks_[task->started_event_id] = task;
    }
  }

  struct Node {
    std::string type;
    TimePoint at{};
    std::int64_t previous = 0;
    std::string entered_state;
  };

  /// Every event whose previousEventId chain leads back to `from`, by id.
  [[nodiscard]] std::vector<std::pair<std::int64_t, const Node*>> descendants(
      std::int64_t from) const {
    std::vector<std::pair<std::int64_t, const Node*>> found;
    std::vector<std::int64_t> stack = {from};
    while (!stack.empty()) {
      const auto id = stack.back();
      stack.pop_back();
      const auto it = children_.find(id);
      if (it == children_.end()) continue;
      for (const auto child : it->second) {
        if (child <= id) continue;  // a malformed link back in time: no cycles
        found.emplace_back(child, &nodes_.at(child));
        stack.push_back(child);
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
  }

  /// The task an end event closes (its previousEventId is the task's started
  /// or scheduled event), or nullptr.
  [[nodiscard]] const TaskRecord* task_closed_by(const Node& node) const {
    const auto it = tasks_.find(node.previous);
    return it == tasks_.end() ? nullptr : it->second;
  }

  /// The state of the task an end event closes: from the task records, else
  /// from the TaskStateEntered its chain leads back to.
  [[nodiscard]] std::string state_of(const Node& node) const {
    if (const auto* task = task_closed_by(node)) return task->state_name;
    std::int64_t previous = node.previous;
    for (std::size_t steps = 0; steps < nodes_.size() && previous > 0; ++steps) {
      const auto it = nodes_.find(previous);
      if (it == nodes_.end()) return "";
      if (it->second.type == "TaskStateEntered") return it->second.entered_state;
      previous = it->second.previous;
    }
    return "";
  }

 private:
  std::map<std::int64_t, Node> nodes_;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> children_;
  std::unordered_map<std::int64_t, const TaskRecord*> tasks_;
};

/// One fault that hit a task's worker while the task ran, and what followed.
struct Disruption {
  const FaultRecord* fault = nullptr;
  const TaskRecord* task = nullptr;
  const ExecutionRecord* execution = nullptr;
  /// The first success of the same state in the task's chain.
  std::optional<TimePoint> recovered;
  const TaskRecord* recovered_by = nullptr;
  /// The first failure or timeout of the same state in the chain before it.
  std::optional<TimePoint> detected;
  std::string detected_as;
};

std::vector<Disruption> find_disruptions(const history::History& history) {
  std::vector<Disruption> found;
  std::map<std::string, EventGraph> graphs;
  for (const auto& fault : history.faults) {
    if (!disrupts(fault.kind)) continue;
    for (const auto& task : history.tasks) {
      if (!detail::struck_while_running(fault, task)) continue;
      Disruption disruption;
      disruption.fault = &fault;
      disruption.task = &task;
      disruption.execution = history.execution(task.execution_arn);
      if (disruption.execution != nullptr && task.started_event_id != 0) {
        auto graph = graphs.find(task.execution_arn);
        if (graph == graphs.end()) {
          graph =
              graphs.emplace(task.execution_arn, EventGraph(history, *disruption.execution)).first;
        }
        for (const auto& [id, node] : graph->second.descendants(task.started_event_id)) {
          const bool success = is_success(node->type);
          if (!success && !is_failure(node->type)) continue;
          if (graph->second.state_of(*node) != task.state_name) continue;
          if (success) {
            disruption.recovered = node->at;
            disruption.recovered_by = graph->second.task_closed_by(*node);
            break;
          }
          if (!disruption.detected) {
            disruption.detected = node->at;
            disruption.detected_as = node->type;
            if (const auto* closed = graph->second.task_closed_by(*node);
                closed != nullptr && !closed->error.empty()) {
              disruption.detected_as += " " + closed->error;
            }
          }
        }
      }
      found.push_back(disruption);
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const Disruption& a, const Disruption& b) {
    return a.fault->applied != b.fault->applied ? a.fault->applied < b.fault->applied
                                                : a.fault->id < b.fault->id;
  });
  return found;
}

std::string percentile_name(double fraction) {
  if (fraction >= 1.0) return "max";
  char buffer[32];
  const double percent = fraction * 100.0;
  if (std::abs(percent - std::round(percent)) < 1e-9) {
    std::snprintf(buffer, sizeof buffer, "p%.0f", percent);
  } else {
    std::snprintf(buffer, sizeof buffer, "p%g", percent);
  }
  return buffer;
}

/// Nearest rank: the smallest value with at least `fraction` of the values at
/// or below it. `sorted` is ascending and not empty.
std::chrono::milliseconds nearest_rank(const std::vector<std::chrono::milliseconds>& sorted,
                                       double fraction) {
  const auto n = static_cast<double>(sorted.size());
  // The epsilon keeps 0.9 * 10 (9.000000000000002 in binary) at rank 9.
  auto rank = static_cast<std::size_t>(std::ceil(fraction * n - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

class DurationBelow final : public Check {
 public:
  DurationBelow(DurationMetric metric, std::chrono::milliseconds bound)
      : metric_(metric), bound_(bound) {}

  /// Recovery from the chaos phase's faults.
  [[nodiscard]] std::vector<history::Phase> phases() const override {
    return {history::Phase::kChaos};
  }

  [[nodiscard]] std::string name() const override {
    return std::string(recovery() ? "recovery time " : "time to detect ") +
           percentile_name(metric_.fraction()) + " < " + detail::format_duration(bound_);
  }

  [[nodiscard]] Verdict evaluate(const history::History& history) const override {
    Verdict verdict;
    verdict.check = name();
    const double fraction = metric_.fraction();
    if (!(fraction > 0.0 && fraction <= 1.0)) {
      verdict.summary = "the percentile must be in (0, 1]";
      return verdict;
    }
    const auto disruptions = find_disruptions(history);
    if (disruptions.empty()) {
      std::size_t applied = 0;
      for (const auto& fault : history.faults) applied += fault.applied_ok ? 1 : 0;
      verdict.summary = "no fault disrupted a task (" + std::to_string(applied) +
                        " faults applied): no " + metric_name() + " to measure";
      verdict.measurements = {{"count", 0}};
      return verdict;
    }
    auto measured = measure(history, disruptions);
    verdict.measurements = {{"disrupted_tasks", disruptions.size()},
                            {"count", measured.values.size()},
                            {unresolved_name(), measured.missing.size()},
                            {"bound_ms", bound_.count()},
                            {"percentile", fraction}};
    if (!recovery()) verdict.measurements["absorbed"] = measured.absorbed.size();
    const std::string figure = judge_values(measured.values, verdict);
    summarise(measured, disruptions.size(), figure, verdict);
    verdict.evidence = ordered_evidence(std::move(measured));
    return verdict;
  }

 private:
  /// The disruptions, measured: each one's evidence in one of three lists.
  struct Measurements {
    std::vector<std::chrono::milliseconds> values;                         // ascending
    std::vector<std::pair<std::chrono::milliseconds, Evidence>> measured;  // longest first
    std::vector<Evidence> missing;   // unrecovered / undetected: fail the bound
    std::vector<Evidence> absorbed;  // recovered without a failure to detect
  };

  [[nodiscard]] std::string metric_name() const {
    return recovery() ? "recovery time" : "time to detect";
  }
  [[nodiscard]] std::string unresolved_name() const {
    return recovery() ? "unrecovered" : "undetected";
  }

  [[nodiscard]] Measurements measure(const history::History& history,
                                     const std::vector<Disruption>& disruptions) const {
    const auto origin = detail::origin_of(history);
    Measurements out;
    for (const auto& d : disruptions) {
      const std::string head = describe_fault(history, d, origin);
      auto data = evidence_data(d, origin);
      const std::optional<TimePoint> end = recovery() ? d.recovered : d.detected;
      if (end) {
        const auto value = detail::milliseconds_between(detail::round_ms(d.fault->applied), *end);
        out.values.push_back(value);
        data["ms"] = value.count();
        out.measured.emplace_back(
            value, Evidence{head + resolution_text(d, value, *end, origin), std::move(data)});
      } else if (!recovery() && d.recovered) {
        out.absorbed.push_back({head + "; nothing to detect: " + d.task->state_name +
                                    " succeeded at " + detail::relative_time(*d.recovered, origin) +
                                    " without a failure or timeout",
                                std::move(data)});
      } else {
        data["unresolved"] = true;
        out.missing.push_back(
            {head + (recovery()
                         ? "; UNRECOVERED: no later attempt of " + d.task->state_name + " succeeded"
                         : "; UNDETECTED: the orchestrator never recorded " + d.task->state_name +
                               " failing"),
             std::move(data)});
      }
    }
    std::sort(out.values.begin(), out.values.end());
    std::stable_sort(out.measured.begin(), out.measured.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    return out;
  }

  /// `; recovered 1.2 s later, at +3.4 s (State succeeded on w2)` or
  /// `; detected ... (States.Timeout)`.
  [[nodiscard]] std::string resolution_text(const Disruption& d, std::chrono::milliseconds value,
                                            TimePoint end, TimePoint origin) const {
    if (!recovery()) {
      return "; detected " + detail::format_duration(value) + " later, at " +
             detail::relative_time(end, origin) + " (" + d.detected_as + ")";
    }
    std::string tail = "; recovered " + detail::format_duration(value) + " later, at " +
                       detail::relative_time(end, origin) + " (" + d.task->state_name +
                       " succeeded";
    if (d.recovered_by != nullptr && !d.recovered_by->worker.empty()) {
      tail += " on " + d.recovered_by->worker;
    }
    return tail + ")";
  }

  /// The percentiles of `values` into the measurements, and the outcome of
  /// the bound; the sentence that says so (empty without values).
  [[nodiscard]] std::string judge_values(const std::vector<std::chrono::milliseconds>& values,
                                         Verdict& verdict) const {
    if (values.empty()) return "";
    for (const auto& [key, p] :
         {std::pair{"p50_ms", 0.50}, std::pair{"p95_ms", 0.95}, std::pair{"p99_ms", 0.99}}) {
      verdict.measurements[key] = nearest_rank(values, p).count();
    }
    verdict.measurements["max_ms"] = values.back().count();
    const double fraction = metric_.fraction();
    const auto value = nearest_rank(values, fraction);
    verdict.measurements["value_ms"] = value.count();
    std::string figure = percentile_name(fraction) + " " + metric_name() + " " +
                         detail::format_duration(value) + " over " + std::to_string(values.size()) +
                         " disrupted tasks";
    if (value < bound_) {
      verdict.outcome = Outcome::kPass;
      return figure + ", below " + detail::format_duration(bound_);
    }
    verdict.outcome = Outcome::kFail;
    return figure + ", not below " + detail::format_duration(bound_);
  }

  /// Unresolved disruptions fail the check whatever the percentile says.
  void summarise(const Measurements& measured, std::size_t disrupted, const std::string& figure,
                 Verdict& verdict) const {
    if (!measured.missing.empty()) {
      verdict.outcome = Outcome::kFail;
      const std::string count = std::to_string(measured.missing.size()) + " of " +
                                std::to_string(disrupted) + " disrupted tasks " + unresolved_name();
      verdict.summary = figure.empty() ? count : count + "; " + figure;
    } else if (measured.values.empty()) {
      verdict.outcome = Outcome::kUnknown;
      verdict.summary = "no disrupted task failed: every one of the " + std::to_string(disrupted) +
                        " completed despite its fault, nothing to detect";
    } else {
      verdict.summary = figure;
    }
  }

  /// Unresolved first, then the longest measured, then the absorbed; capped.
  static std::vector<Evidence> ordered_evidence(Measurements measured) {
    std::vector<Evidence> evidence = std::move(measured.missing);
    for (auto& [value, item] : measured.measured) evidence.push_back(std::move(item));
    for (auto& item : measured.absorbed) evidence.push_back(std::move(item));
    detail::cap_evidence(evidence, detail::kEvidenceLimit, "disrupted tasks");
    return evidence;
  }

  [[nodiscard]] bool recovery() const { return metric_.kind() == DurationMetric::Kind::kRecovery; }

  static std::string describe_fault(const history::History& history, const Disruption& d,
                                    TimePoint origin) {
    return std::string(history::to_string(d.fault->kind)) + " of " + d.fault->worker + " at " +
           detail::relative_time(d.fault->applied, origin) + " disrupted " +
           detail::task_label(history, *d.task);
  }

  static nlohmann::json evidence_data(const Disruption& d, TimePoint origin) {
    return nlohmann::json{{"fault", d.fault->id},
                          {"kind", history::to_string(d.fault->kind)},
                          {"worker", d.fault->worker},
                          {"applied_s", detail::relative_seconds(d.fault->applied, origin)},
                          {"execution", d.task->execution_arn},
                          {"state", d.task->state_name},
                          {"task", detail::task_data(*d.task, origin)}};
  }

  DurationMetric metric_;
  std::chrono::milliseconds bound_;
};

}  // namespace

DurationMetric DurationMetric::percentile(double percentile) const {
  if (!(percentile > 0.0 && percentile <= 1.0)) {
    throw std::invalid_argument("a percentile must be in (0, 1], got " +
                                std::to_string(percentile));
  }
  return DurationMetric(kind_, percentile);
}

std::vector<DisruptionTiming> disruption_timings(const history::History& history) {
  std::vector<DisruptionTiming> timings;
  for (const auto& d : find_disruptions(history)) {
    DisruptionTiming timing;
    timing.fault_id = d.fault->id;
    timing.fault = d.fault->kind;
    timing.pool = d.fault->pool.empty() ? d.task->pool : d.fault->pool;
    timing.worker = d.fault->worker;
    timing.execution_arn = d.task->execution_arn;
    timing.state_name = d.task->state_name;
    const auto applied = detail::round_ms(d.fault->applied);
    if (d.recovered) timing.recovery = detail::milliseconds_between(applied, *d.recovered);
    if (d.detected) timing.detection = detail::milliseconds_between(applied, *d.detected);
    timings.push_back(std::move(timing));
  }
  return timings;
}

DurationMetric recovery_time() { return DurationMetric(DurationMetric::Kind::kRecovery); }

DurationMetric time_to_detect() { return DurationMetric(DurationMetric::Kind::kDetection); }

CheckPtr operator<(const DurationMetric& metric, std::chrono::milliseconds bound) {
  return std::make_shared<DurationBelow>(metric, bound);
}

}  // namespace loveless::checks
