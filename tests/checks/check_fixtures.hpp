#pragma once

// Recorded histories for the check tests, built in a few lines: executions
// (with hand-written history events whose tasks are derived as the runner
// derives them), faults and scratch accesses, at seconds after kT0.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/checks/builtin.hpp"
#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"
#include "loveless/history/task_derivation.hpp"

#include "scenario/history/history_events.hpp"

namespace loveless::testing {

using checks::Outcome;
using history::FaultKind;
using history::Phase;
using history::ScratchOperation;

inline constexpr const char* kCountWords =
    "arn:aws:states:us-east-1:123456789012:activity:count-words";
inline constexpr const char* kMergeFunction =
    "arn:aws:lambda:us-east-1:123456789012:function:merge";

inline std::string execution_arn(const std::string& name) {
  return "arn:aws:states:us-east-1:123456789012:execution:index:" + name;
}

class HistoryFixture {
 public:
  HistoryFixture() {
    history.scenario = "test";
    history.stack = "process";
    context.pool_of_resource = {{kCountWords, "count-words"}, {kMergeFunction, "merge"}};
  }

  /// Control phase 0..10 s, chaos phase 10..30 s.
  void phases(double control_end = 10, double chaos_end = 30) {
    history.phases = {{Phase::kControl, at(0), at(control_end)},
                      {Phase::kChaos, at(control_end), at(chaos_end)}};
  }

  history::ExecutionRecord& execution(Phase phase, std::size_t index, const std::string& name,
                                      const std::string& status, double start,
                                      std::optional<double> stop, nlohmann::json output = nullptr) {
    history::ExecutionRecord record;
    record.phase = phase;
    record.input_index = index;
    record.workflow = "index";
    record.name = name;
    record.arn = execution_arn(name);
    record.status = status;
    record.output = std::move(output);
    record.start = at(start);
    if (stop) record.stop = at(*stop);
    history.executions.push_back(std::move(record));
    return history.executions.back();
  }

  /// Gives the execution `log`'s events and adds the tasks derived from them.
  /// `lambda_workers`: LambdaFunctionStarted event id -> environment.
  void events(const std::string& name, EventLog log,
              std::map<std::int64_t, std::string> lambda_workers = {}) {
    for (auto& record : history.executions) {
      if (record.name != name) continue;
      record.events = std::move(log.events);
      context.task_workers[record.arn] = std::move(lambda_workers);
      for (auto& task : history::derive_tasks(record, context)) {
        history.tasks.push_back(std::move(task));
      }
      return;
    }
    FAIL("no execution " << name);
  }

  /// A task added directly (for checks that read tasks, not events).
  history::TaskRecord& task(const std::string& execution, const std::string& state,
                            const std::string& worker, double started, std::optional<double> ended,
                            history::TaskOutcome outcome = history::TaskOutcome::kSucceeded,
                            const std::string& error = "") {
    history::TaskRecord task;
    const auto* record = history.execution(execution_arn(execution));
    task.phase = record != nullptr ? record->phase : Phase::kControl;
    task.execution_arn = execution_arn(execution);
    task.state_name = state;
    task.worker = worker;
    task.scheduled_event_id = static_cast<std::int64_t>(history.tasks.size()) + 1;
    task.scheduled = at(started);
    task.started = at(started);
    if (ended) task.ended = at(*ended);
    task.outcome = ended ? outcome : history::TaskOutcome::kOpen;
    task.error = error;
    history.tasks.push_back(std::move(task));
    return history.tasks.back();
  }

  history::FaultRecord& fault(FaultKind kind, const std::string& worker, double applied,
                              std::chrono::milliseconds duration = std::chrono::milliseconds(0)) {
    history::FaultRecord fault;
    fault.id = history.faults.size() + 1;
    fault.kind = kind;
    fault.injector = std::string(history::to_string(kind)) + " injector";
    fault.triggered = at(applied);
    fault.applied = at(applied);
    fault.duration = duration;
    fault.pool = worker.substr(0, worker.rfind('-'));
    fault.worker = worker;
    history.faults.push_back(fault);
    return history.faults.back();
  }

  void access(const std::string& worker, const std::string& path, ScratchOperation operation,
              double when) {
    history.scratch_audited = true;
    history.scratch_accesses.push_back({at(when), worker, path, operation});
  }

  checks::Verdict judge(const checks::CheckPtr& check) const {
    return checks::judge(*check, history);
  }

  history::History history;
  history::TaskContext context;
};

/// All evidence texts of a verdict, one per line (for failure messages).
inline std::string evidence_text(const checks::Verdict& verdict) {
  std::string text;
  for (const auto& item : verdict.evidence) text += item.text + "\n";
  return text;
}

}  // namespace loveless::testing
