// attribute(): the faults that preceded an execution's failure or divergence
// on the workers that ran its tasks.

#include <algorithm>
#include <set>

#include "loveless/checks/builtin.hpp"
#include "loveless/injectors/fault_types.hpp"

#include "check_support.hpp"

namespace loveless::checks {

namespace {

using history::FaultRecord;
using history::TaskRecord;

bool ran_at(const TaskRecord& task, history::TimePoint at) {
  return task.started && *task.started <= at && (!task.ended || at <= *task.ended);
}

/// How the fault relates to this execution's tasks on the fault's worker:
/// during one, after the last that ended before it, or before the next.
struct Relation {
  std::string text;
  std::string kind;
  const TaskRecord* task = nullptr;
};

Relation relate(const FaultRecord& fault, const std::vector<const TaskRecord*>& tasks) {
  const auto applied = detail::round_ms(fault.applied);
  const TaskRecord* before = nullptr;
  const TaskRecord* after = nullptr;
  for (const auto* task : tasks) {
    if (task->worker != fault.worker || !task->started) continue;
    if (ran_at(*task, applied)) {
      return {"while it ran " + (task->state_name.empty() ? "a task" : task->state_name) +
                  " of this execution",
              "during", task};
    }
    if (task->ended && *task->ended < applied) {
      if (before == nullptr || *before->ended < *task->ended) before = task;
    } else if (*task->started > applied) {
      if (after == nullptr || *task->started < *after->started) after = task;
    }
  }
  if (before != nullptr) {
    return {detail::format_duration(detail::milliseconds_between(*before->ended, applied)) +
                " after it ran " + before->state_name + " of this execution",
            "after", before};
  }
  if (after != nullptr) {
    return {detail::format_duration(detail::milliseconds_between(applied, *after->started)) +
                " before it ran " + after->state_name + " of this execution",
            "before", after};
  }
  return {"", "", nullptr};
}

}  // namespace

std::vector<Evidence> attribute(const history::History& history,
                                const history::ExecutionRecord& execution) {
  const auto tasks = history.tasks_of(execution.arn);
  std::set<std::string> workers;
  for (const auto* task : tasks) {
    if (!task->worker.empty()) workers.insert(task->worker);
  }
  std::vector<const FaultRecord*> faults;
  for (const auto& fault : history.faults) {
    if (!fault.applied_ok || workers.count(fault.worker) == 0) continue;
    // A pause or latency applied just before the start still overlaps it.
    const auto applied = detail::round_ms(fault.applied);
    if (applied + fault.duration < execution.start) continue;
    if (execution.stop && applied > *execution.stop) continue;
    faults.push_back(&fault);
  }
  std::stable_sort(faults.begin(), faults.end(), [](const auto* a, const auto* b) {
    return a->applied != b->applied ? a->applied < b->applied : a->id < b->id;
  });

  const auto origin = detail::origin_of(history);
  std::vector<Evidence> evidence;
  for (const auto* fault : faults) {
    const auto relation = relate(*fault, tasks);
    std::string text(history::to_string(fault->kind));
    if (fault->duration.count() > 0 &&
        injectors::recorded_definition(fault->kind).heal != nullptr) {
      text += " (" + detail::format_duration(fault->duration) + ")";
    }
    text += " of " + fault->worker + " at " + detail::relative_time(fault->applied, origin);
    if (!relation.text.empty()) text += ", " + relation.text;
    if (!fault->injector.empty()) text += " [" + fault->injector + "]";
    nlohmann::json data = {{"fault", fault->id},
                           {"kind", history::to_string(fault->kind)},
                           {"worker", fault->worker},
                           {"pool", fault->pool},
                           {"injector", fault->injector},
                           {"applied_s", detail::relative_seconds(fault->applied, origin)},
                           {"applied_epoch_s", history::to_epoch_seconds(fault->applied)},
                           {"duration_ms", fault->duration.count()},
                           {"execution", execution.arn}};
    if (relation.task != nullptr) {
      data["relation"] = relation.kind;
      data["state"] = relation.task->state_name;
    }
    evidence.push_back({std::move(text), std::move(data)});
  }
  return evidence;
}

namespace detail {

AttributionSummary summarize_attribution(const history::History& history,
                                         const history::ExecutionRecord& execution) {
  AttributionSummary summary;
  const auto faults = attribute(history, execution);
  if (faults.empty()) {
    summary.text = "no fault hit the workers that ran its tasks";
    return summary;
  }
  summary.text = faults.size() == 1 ? "the fault before it: " : "the faults before it: ";
  constexpr std::size_t kListed = 5;
  for (std::size_t i = 0; i < faults.size(); ++i) {
    summary.data.push_back(faults[i].data);
    if (i >= kListed) continue;
    if (i > 0) summary.text += "; ";
    summary.text += faults[i].text;
  }
  if (faults.size() > kListed) {
    summary.text += "; and " + std::to_string(faults.size() - kListed) + " more";
  }
  return summary;
}

}  // namespace detail

}  // namespace loveless::checks
