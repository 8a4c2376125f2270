#include "local_state_differential.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "check_support.hpp"
#include "cold_varying_paths.hpp"
#include "execution_identity.hpp"
#include "run_varying_values.hpp"

namespace loveless::checks::detail {

namespace {

using history::ExecutionRecord;
using history::Phase;
using history::TaskOutcome;
using history::TaskRecord;

/// Ended by what its tasks did: an ABORTED execution was stopped from
/// outside, a RUNNING or NOT_STARTED one never ended.
bool judgeable(const ExecutionRecord& execution) {
  return execution.status == "SUCCEEDED" || execution.status == "FAILED" ||
         execution.status == "TIMED_OUT";
}

std::string outcome_text(const ExecutionRecord& execution) {
  if (execution.succeeded()) return "SUCCEEDED";
  return execution.status + (execution.error.empty() ? "" : " (" + execution.error + ")");
}

std::string side_text(const std::optional<nlohmann::json>& value) {
  return value ? json_snippet(*value) : std::string("(absent)");
}

/// How outputs are compared: the check's ignore paths or comparator, and
/// the places that differed between cold runs of one input.
struct Comparison {
  const OutputComparison& options;
  VaryingPlaces cold_varying;
};

/// An execution's output as the differential compares it: its own identity
/// masked, the ignore paths and the cold-varying places removed.
nlohmann::json compared_output(const ExecutionRecord& execution, const Comparison& comparison) {
  return without_varying_places(comparable_output(execution, comparison.options),
                                comparison.cold_varying);
}

/// How two compared outputs differ (or per the comparator); nullopt when
/// they agree.
std::optional<std::string> output_difference(const nlohmann::json& a, const nlohmann::json& b,
                                             const OutputComparison& comparison,
                                             std::string_view side, std::string_view other) {
  if (comparison.comparator) {
    try {
      auto said = comparison.comparator(b, a);
      if (said.empty()) return std::nullopt;
      return "the comparator says: " + said;
    } catch (...) {
      return std::nullopt;  // It cannot tell: no claim either way.
    }
  }
  const auto difference = first_difference(a, b);
  if (!difference) return std::nullopt;
  const std::string where = difference->pointer.empty() ? "(root)" : difference->pointer;
  return "at " + where + " " + std::string(side) + " has " + side_text(difference->control) + ", " +
         std::string(other) + " has " + side_text(difference->chaos);
}

/// How `execution` differs from `cold`; nullopt when it does not.
std::optional<std::string> outcome_difference(const ExecutionRecord& execution,
                                              const ExecutionRecord& cold,
                                              const Comparison& comparison) {
  const std::string side(history::to_string(execution.phase));
  if (execution.status != cold.status ||
      (!execution.succeeded() && execution.error != cold.error)) {
    return side + " ended " + outcome_text(execution) + ", cold " + outcome_text(cold);
  }
  if (!execution.succeeded()) return std::nullopt;
  return output_difference(compared_output(execution, comparison),
                           compared_output(cold, comparison), comparison.options, side, "cold");
}

/// Where two succeeded executions' outputs differ, when they differ only in
/// timestamps and UUIDs (run_varying_values.hpp); nullopt otherwise, and
/// always with a comparator, which decides alone.
std::optional<std::vector<std::string>> run_varying_only(const ExecutionRecord& execution,
                                                         const ExecutionRecord& cold,
                                                         const Comparison& comparison) {
  if (comparison.options.comparator || !execution.succeeded() || !cold.succeeded()) {
    return std::nullopt;
  }
  return run_varying_differences(compared_output(execution, comparison),
                                 compared_output(cold, comparison));
}

/// `outcome_difference`, except that outputs differing only in timestamps
/// and UUIDs agree: any two runs differ there, so it proves nothing about
/// local state. Those places are added to `result.run_varying_paths`.
std::optional<std::string> differs(const ExecutionRecord& execution, const ExecutionRecord& cold,
                                   const Comparison& comparison, DifferentialResult& result) {
  auto difference = outcome_difference(execution, cold, comparison);
  if (!difference) return std::nullopt;
  if (const auto pointers = run_varying_only(execution, cold, comparison)) {
    result.run_varying_paths.insert(pointers->begin(), pointers->end());
    return std::nullopt;
  }
  return difference;
}

bool same_task_outcome(const ExecutionRecord& execution, const TaskRecord& task,
                       const ExecutionRecord& cold_execution, const TaskRecord& cold,
                       std::string& text) {
  const std::string state = task.state_name.empty() ? "a task" : task.state_name;
  if (task.outcome != cold.outcome || task.error != cold.error) {
    text = state + " " + std::string(history::to_string(task.outcome)) +
           (task.error.empty() ? "" : " with " + task.error) + " on " + task.worker + ", cold it " +
           std::string(history::to_string(cold.outcome)) +
           (cold.error.empty() ? "" : " with " + cold.error) + " on " + cold.worker;
    return false;
  }
  const auto mine = task_output(execution, task);
  const auto theirs = task_output(cold_execution, cold);
  if (!mine || !theirs) return true;
  const auto masked_mine = without_execution_identity(*mine, execution);
  const auto masked_theirs = without_execution_identity(*theirs, cold_execution);
  // As for whole outputs: a timestamp or a UUID differs in any two runs.
  if (run_varying_differences(masked_mine, masked_theirs)) return true;
  if (const auto difference = first_difference(masked_mine, masked_theirs)) {
    const std::string where = difference->pointer.empty() ? "(root)" : difference->pointer;
    text = state + " on " + task.worker + " returned " + side_text(difference->control) + " at " +
           where + ", cold (on " + cold.worker + ") " + side_text(difference->chaos);
    return false;
  }
  return true;
}

/// Why an input's cold executions cannot be a reference: they ended
/// differently (status or error), or, with a comparator, it says their
/// outputs differ. nullopt when they agree; the places where their outputs
/// differ are added to `comparison.cold_varying` (without a comparator).
std::optional<std::string> cold_disagreement(const std::vector<const ExecutionRecord*>& cold,
                                             std::size_t real_cold, Comparison& comparison,
                                             DifferentialResult& result) {
  const auto& first = *cold.front();
  const Comparison unmasked{comparison.options, {}};
  for (std::size_t i = 0; i < cold.size(); ++i) {
    const auto* other = cold[i];
    // A fresh warm sample that differs only in timestamps and UUIDs teaches
    // nothing new: such values are taken as agreeing wherever they differ.
    if (i >= real_cold && run_varying_only(*other, first, unmasked)) continue;
    const bool same_outcome =
        other->status == first.status && (other->succeeded() || other->error == first.error);
    std::optional<std::string> difference;
    if (!same_outcome || comparison.options.comparator) {
      difference = differs(*other, first, unmasked, result);
    }
    if (difference) {
      return execution_label(*other) + " vs " + execution_label(first) + ": " + *difference;
    }
    if (other->succeeded() && !comparison.options.comparator) {
      add_differing_places(compared_output(*other, unmasked), compared_output(first, unmasked),
                           comparison.cold_varying);
    }
  }
  return std::nullopt;
}

/// The first task of `execution` whose outcome or output differs from the
/// same occurrence of its state in `cold`.
std::optional<TaskDifference> first_task_difference(const history::History& history,
                                                    const ExecutionRecord& execution,
                                                    const ExecutionRecord& cold) {
  const auto tasks = history.tasks_of(execution.arn);
  const auto cold_tasks = history.tasks_of(cold.arn);
  std::map<std::string, std::vector<const TaskRecord*>> cold_by_state;
  for (const auto* task : cold_tasks) cold_by_state[task->state_name].push_back(task);
  std::map<std::string, std::size_t> seen;
  for (const auto* task : tasks) {
    const auto occurrence = seen[task->state_name]++;
    const auto& counterparts = cold_by_state[task->state_name];
    if (occurrence >= counterparts.size()) {
      return TaskDifference{task, nullptr,
                            task->state_name + " ran on " + task->worker +
                                (occurrence > 0 ? " again" : "") + ", cold it did not"};
    }
    std::string text;
    if (!same_task_outcome(execution, *task, cold, *counterparts[occurrence], text)) {
      return TaskDifference{task, counterparts[occurrence], text};
    }
  }
  for (const auto& [state, counterparts] : cold_by_state) {
    if (counterparts.size() > seen[state]) {
      return TaskDifference{nullptr, counterparts[seen[state]],
                            state + " ran cold (on " + counterparts[seen[state]]->worker +
                                ") but not in this execution"};
    }
  }
  return std::nullopt;
}

/// The control executions whose every task ran on a worker that had run no
/// task before it (the first task of a fresh process with empty scratch):
/// nothing earlier tasks left can have reached them, so they are cold
/// samples as good as the cold phase's. Without them, a value that varies a
/// little between runs (a duration, under load) and happened to agree in an
/// input's cold runs made a fresh warm run look like reliance ("w-1 had run
/// 0 tasks before").
std::set<const ExecutionRecord*> fresh_control_executions(const history::History& history) {
  std::map<std::string, std::vector<history::TimePoint>> starts_by_worker;
  for (const auto& task : history.tasks) {
    if (task.started && !task.worker.empty())
      starts_by_worker[task.worker].push_back(*task.started);
  }
  const auto fresh = [&](const TaskRecord& task) {
    if (!task.started || task.worker.empty()) return false;
    const auto& starts = starts_by_worker[task.worker];
    return std::none_of(starts.begin(), starts.end(),
                        [&](const auto& start) { return start < *task.started; });
  };
  std::set<const ExecutionRecord*> fresh_executions;
  for (const auto* execution : history.executions_in(Phase::kControl)) {
    const auto tasks = history.tasks_of(execution->arn);
    if (!tasks.empty() && std::all_of(tasks.begin(), tasks.end(),
                                      [&](const TaskRecord* task) { return fresh(*task); })) {
      fresh_executions.insert(execution);
    }
  }
  return fresh_executions;
}

}  // namespace

std::vector<std::string> ColdCoverage::uncovered_states() const {
  std::vector<std::string> states;
  for (const auto& [state, count] : warm_by_state) {
    if (cold_by_state.count(state) == 0) states.push_back(state);
  }
  return states;
}

ColdCoverage measure_coverage(const history::History& history, const ScratchLedger& ledger) {
  ColdCoverage coverage;
  for (const auto& task : history.tasks) {
    if (!task.started) continue;
    if (task.phase == Phase::kCold) {
      if (!task.worker.empty() && ledger.earlier_tasks(task) == 0) {
        ++coverage.cold_by_state[task.state_name];
        ++coverage.cold_tasks;
      } else {
        ++coverage.not_cold;
      }
    } else if (task.phase == Phase::kControl) {
      ++coverage.warm_by_state[task.state_name];
      ++coverage.warm_tasks;
      if (!task.worker.empty() && ledger.earlier_tasks(task) > 0) ++coverage.warm_reused;
    }
  }
  return coverage;
}

DifferentialResult run_differential(const history::History& history,
                                    const OutputComparison& options) {
  DifferentialResult result;
  for (const auto& path : options.ignore_paths) {
    if (auto error = validate_json_path(path)) {
      result.invalid = "ignore path " + *error;
      return result;
    }
  }
  std::set<std::size_t> inputs;
  for (const auto& execution : history.executions) inputs.insert(execution.input_index);
  result.inputs = inputs.size();

  // First the cold executions of every input, which must end alike; where
  // their outputs differ, nothing a worker kept explains it (each ran on
  // fresh workers), so that place is left out of every comparison.
  Comparison comparison{options, {}};
  std::map<std::size_t, const ExecutionRecord*> reference;
  const auto fresh_control = fresh_control_executions(history);
  for (const auto index : inputs) {
    std::vector<const ExecutionRecord*> cold;
    for (const auto* execution : history.executions_of(Phase::kCold, index)) {
      if (judgeable(*execution)) cold.push_back(execution);
    }
    result.cold_executions += cold.size();
    if (cold.empty()) {
      if (history.window(Phase::kCold) != nullptr) {
        result.unjudged.push_back({index, "no cold execution of it ended"});
      }
      continue;
    }
    // After the cold ones, so that a cold execution stays the reference.
    const auto real_cold = cold.size();
    for (const auto* execution : history.executions_of(Phase::kControl, index)) {
      if (judgeable(*execution) && fresh_control.count(execution) > 0) {
        cold.push_back(execution);
        ++result.fresh_control_executions;
      }
    }
    if (const auto disagreement = cold_disagreement(cold, real_cold, comparison, result)) {
      result.unjudged.push_back(
          {index, "its cold executions disagree (" + *disagreement +
                      "): on fresh workers it does not end alike, so nothing is a reference "
                      "for it (a flaky dependency, or a comparator that tells them apart)"});
      continue;
    }
    reference[index] = cold.front();
  }
  result.cold_varying_paths = comparison.cold_varying.describe();

  for (const auto& [index, cold] : reference) {
    ++result.judged_inputs;
    for (const auto phase : {Phase::kControl, Phase::kChaos}) {
      for (const auto* execution : history.executions_of(phase, index)) {
        if (!judgeable(*execution)) continue;
        (phase == Phase::kControl ? result.warm_compared : result.chaos_compared)++;
        const auto difference = differs(*execution, *cold, comparison, result);
        if (!difference) continue;
        Divergence divergence{execution, cold, *difference,
                              first_task_difference(history, *execution, *cold)};
        (phase == Phase::kControl ? result.warm : result.chaos).push_back(std::move(divergence));
      }
    }
  }
  return result;
}

std::optional<nlohmann::json> task_output(const history::ExecutionRecord& execution,
                                          const history::TaskRecord& task) {
  if (task.outcome != TaskOutcome::kSucceeded) return std::nullopt;
  for (const auto& event : execution.events) {
    const auto previous = event.find("previousEventId");
    const auto type = event.find("type");
    if (previous == event.end() || !previous->is_number_integer() || type == event.end() ||
        !type->is_string() || previous->get<std::int64_t>() != task.started_event_id ||
        !type->get<std::string>().ends_with("Succeeded")) {
      continue;
    }
    for (const auto& [key, details] : event.items()) {
      if (!key.ends_with("EventDetails") || !details.is_object()) continue;
      const auto output = details.find("output");
      if (output == details.end() || !output->is_string()) return std::nullopt;
      try {
        return nlohmann::json::parse(output->get<std::string>());
      } catch (const nlohmann::json::exception&) {
        return *output;
      }
    }
  }
  return std::nullopt;
}

}  // namespace loveless::checks::detail
