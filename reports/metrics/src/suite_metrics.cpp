#include "loveless/metrics/suite_metrics.hpp"

#include <chrono>
#include <map>
#include <string_view>

#include "loveless/checks/builtin.hpp"

#include "families.hpp"

namespace loveless::metrics {
namespace {

using history::Phase;

double seconds(std::chrono::milliseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

std::string task_outcome_label(history::TaskOutcome outcome) {
  // Prometheus label values by convention use underscores.
  return outcome == history::TaskOutcome::kTimedOut ? "timed_out"
                                                    : std::string(history::to_string(outcome));
}

bool is_attempt_failure(std::string_view type) {
  const bool task_family = type.starts_with("Activity") || type.starts_with("LambdaFunction") ||
                           type.starts_with("Task");
  return task_family && type != "TaskStateFailed" &&
         (type.ends_with("Failed") || type.ends_with("TimedOut"));
}

/// Scheduled event id -> whether it was scheduled from a failed attempt, for
/// one execution's recorded events.
std::map<std::int64_t, bool> retries_of(const history::ExecutionRecord& execution) {
  std::map<std::int64_t, std::string> type_of;
  for (const auto& event : execution.events) {
    if (event.is_object() && event.contains("id") && event["id"].is_number_integer() &&
        event.contains("type") && event["type"].is_string()) {
      type_of[event["id"].get<std::int64_t>()] = event["type"].get<std::string>();
    }
  }
  std::map<std::int64_t, bool> retry;
  for (const auto& event : execution.events) {
    if (!event.is_object() || !event.contains("previousEventId") ||
        !event["previousEventId"].is_number_integer() || !event.contains("id") ||
        !event["id"].is_number_integer()) {
      continue;
    }
    const auto previous = type_of.find(event["previousEventId"].get<std::int64_t>());
    retry[event["id"].get<std::int64_t>()] =
        previous != type_of.end() && is_attempt_failure(previous->second);
  }
  return retry;
}

bool is_reliance_verdict(const checks::Verdict& verdict) {
  const auto& m = verdict.measurements;
  return m.is_object() && m.contains("reliances") && m.contains("harmful") &&
         m.contains("harmless") && m.contains("reader_unknown");
}

}  // namespace

ScenarioRecorder::ScenarioRecorder(Families& families, std::string scenario)
    : families_(families), scenario_(std::move(scenario)) {}

void ScenarioRecorder::phase_started(Phase phase) {
  families_.phase_active.Add({{"scenario", scenario_}, {"phase", std::string(to_string(phase))}})
      .Set(1);
}

void ScenarioRecorder::phase_ended(Phase phase) {
  families_.phase_active.Add({{"scenario", scenario_}, {"phase", std::string(to_string(phase))}})
      .Set(0);
}

void ScenarioRecorder::count_execution(Phase phase, const std::string& status,
                                       std::optional<std::chrono::milliseconds> duration) {
  const std::string phase_name(to_string(phase));
  families_.executions.Add({{"scenario", scenario_}, {"phase", phase_name}, {"status", status}})
      .Increment();
  if (duration) {
    families_.execution_duration
        .Add({{"scenario", scenario_}, {"phase", phase_name}}, duration_buckets())
        .Observe(seconds(*duration));
  }
}

void ScenarioRecorder::count_fault(const history::FaultRecord& fault) {
  auto& family = fault.applied_ok ? families_.faults_injected : families_.faults_failed;
  family
      .Add({{"scenario", scenario_},
            {"pool", fault.pool},
            {"fault", std::string(to_string(fault.kind))}})
      .Increment();
}

void ScenarioRecorder::count_task(Phase phase, const std::string& pool,
                                  history::TaskOutcome outcome, bool retry) {
  const std::string phase_name(to_string(phase));
  families_.task_attempts
      .Add({{"scenario", scenario_},
            {"phase", phase_name},
            {"pool", pool},
            {"outcome", task_outcome_label(outcome)}})
      .Increment();
  if (retry) {
    families_.task_retries.Add({{"scenario", scenario_}, {"phase", phase_name}, {"pool", pool}})
        .Increment();
  }
}

void ScenarioRecorder::execution_closed(const history::ExecutionClosed& execution) {
  {
    std::lock_guard lock(mutex_);
    if (!seen_executions_.insert(execution.execution_arn).second) return;
  }
  count_execution(execution.phase, execution.status, execution.duration);
}

void ScenarioRecorder::task_attempt_ended(const history::TaskAttemptEnded& task) {
  {
    std::lock_guard lock(mutex_);
    if (!seen_tasks_.emplace(task.execution_arn, task.scheduled_event_id).second) return;
  }
  count_task(task.phase, task.pool, task.outcome, task.retry);
}

void ScenarioRecorder::fault_applied(const history::FaultRecord& fault) {
  {
    std::lock_guard lock(mutex_);
    if (!seen_faults_.insert(fault.id).second) return;
  }
  count_fault(fault);
}

void ScenarioRecorder::finish(const history::History& history,
                              const std::vector<checks::Verdict>& verdicts, bool passed) {
  std::set<std::string> seen_executions;
  std::set<std::pair<std::string, std::int64_t>> seen_tasks;
  std::set<std::uint64_t> seen_faults;
  {
    std::lock_guard lock(mutex_);
    seen_executions = seen_executions_;
    seen_tasks = seen_tasks_;
    seen_faults = seen_faults_;
  }
  for (const auto& execution : history.executions) {
    if (!execution.arn.empty() && seen_executions.contains(execution.arn)) continue;
    count_execution(execution.phase, execution.status,
                    execution.stop ? execution.duration() : std::nullopt);
  }
  std::map<std::string, std::map<std::int64_t, bool>> retries;
  for (const auto& task : history.tasks) {
    if (task.outcome == history::TaskOutcome::kOpen) continue;
    if (seen_tasks.contains({task.execution_arn, task.scheduled_event_id})) continue;
    auto found = retries.find(task.execution_arn);
    if (found == retries.end()) {
      const auto* execution = history.execution(task.execution_arn);
      found =
          retries
              .emplace(task.execution_arn, execution != nullptr ? retries_of(*execution)
                                                                : std::map<std::int64_t, bool>{})
              .first;
    }
    const auto retry = found->second.find(task.scheduled_event_id);
    count_task(task.phase, task.pool, task.outcome, retry != found->second.end() && retry->second);
  }
  for (const auto& fault : history.faults) {
    if (!seen_faults.contains(fault.id)) count_fault(fault);
  }

  for (const auto& timing : checks::disruption_timings(history)) {
    const prometheus::Labels labels{{"scenario", scenario_},
                                    {"pool", timing.pool},
                                    {"fault", std::string(to_string(timing.fault))}};
    auto with_recovered = labels;
    with_recovered["recovered"] = timing.recovery ? "true" : "false";
    families_.disrupted_tasks.Add(with_recovered).Increment();
    if (timing.recovery) {
      families_.recovery_time.Add(labels, duration_buckets()).Observe(seconds(*timing.recovery));
    }
    if (timing.detection) {
      families_.time_to_detect.Add(labels, duration_buckets()).Observe(seconds(*timing.detection));
    }
  }

  for (const auto& verdict : verdicts) {
    for (const auto outcome :
         {checks::Outcome::kPass, checks::Outcome::kFail, checks::Outcome::kUnknown}) {
      families_.check_verdict
          .Add({{"scenario", scenario_},
                {"check", verdict.check},
                {"outcome", std::string(checks::to_string(outcome))}})
          .Set(verdict.outcome == outcome ? 1 : 0);
    }
    if (!is_reliance_verdict(verdict)) continue;
    for (const char* kind : {"harmful", "harmless", "reader_unknown"}) {
      const auto& count = verdict.measurements[kind];
      // Every kind is exported, zeros too, so a query sees the series exist.
      auto& counter =
          families_.local_state_findings.Add({{"scenario", scenario_}, {"verdict", kind}});
      if (count.is_number_unsigned() || count.is_number_integer()) {
        counter.Increment(count.get<double>());
      }
    }
  }
  families_.scenario_passed.Add({{"scenario", scenario_}}).Set(passed ? 1 : 0);
  families_.last_run.Add({{"scenario", scenario_}})
      .Set(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
               .count());
  // The run is over: no phase is active any more, whatever the hooks saw.
  for (const auto phase : {Phase::kControl, Phase::kCold, Phase::kChaos}) phase_ended(phase);
}

SuiteMetrics::SuiteMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      families_(std::make_unique<Families>(*registry_)) {}

SuiteMetrics::~SuiteMetrics() = default;

std::unique_ptr<ScenarioRecorder> SuiteMetrics::start(std::string scenario) {
  return std::make_unique<ScenarioRecorder>(*families_, std::move(scenario));
}

}  // namespace loveless::metrics
