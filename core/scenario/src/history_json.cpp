#include "loveless/scenario/history.hpp"

namespace loveless::scenario {
namespace {

nlohmann::json time_or_null(const std::optional<TimePoint>& at) {
  return at ? nlohmann::json(to_epoch_seconds(*at)) : nlohmann::json(nullptr);
}

nlohmann::json execution_json(const ExecutionRecord& execution) {
  return {{"phase", to_string(execution.phase)},
          {"input_index", execution.input_index},
          {"workflow", execution.workflow},
          {"name", execution.name},
          {"arn", execution.arn},
          {"input", execution.input},
          {"status", execution.status},
          {"output", execution.output},
          {"error", execution.error},
          {"cause", execution.cause},
          {"start", to_epoch_seconds(execution.start)},
          {"stop", time_or_null(execution.stop)},
          {"events", execution.events}};
}

nlohmann::json task_json(const TaskRecord& task) {
  return {{"phase", to_string(task.phase)},
          {"execution_arn", task.execution_arn},
          {"state", task.state_name},
          {"pool", task.pool},
          {"worker", task.worker},
          {"scheduled_event_id", task.scheduled_event_id},
          {"started_event_id", task.started_event_id},
          {"scheduled", to_epoch_seconds(task.scheduled)},
          {"started", time_or_null(task.started)},
          {"ended", time_or_null(task.ended)},
          {"outcome", to_string(task.outcome)},
          {"error", task.error},
          {"cause", task.cause}};
}

nlohmann::json fault_json(const FaultRecord& fault) {
  return {{"id", fault.id},
          {"kind", to_string(fault.kind)},
          {"injector", fault.injector},
          {"triggered", to_epoch_seconds(fault.triggered)},
          {"applied", to_epoch_seconds(fault.applied)},
          {"duration_ms", fault.duration.count()},
          {"pool", fault.pool},
          {"worker", fault.worker},
          {"execution_arn", fault.execution_arn},
          {"state", fault.state_name},
          {"ok", fault.applied_ok},
          {"error", fault.error}};
}

}  // namespace

nlohmann::json to_json(const History& history) {
  nlohmann::json json = {
      {"scenario", history.scenario}, {"stack", history.stack},
      {"seed", history.seed},         {"run_id", history.run_id},
      {"partial", history.partial},   {"scratch_audited", history.scratch_audited}};
  auto& phases = json["phases"] = nlohmann::json::array();
  for (const auto& window : history.phases) {
    phases.push_back({{"phase", to_string(window.phase)},
                      {"start", to_epoch_seconds(window.start)},
                      {"end", to_epoch_seconds(window.end)}});
  }
  auto& executions = json["executions"] = nlohmann::json::array();
  for (const auto& execution : history.executions) executions.push_back(execution_json(execution));
  auto& tasks = json["tasks"] = nlohmann::json::array();
  for (const auto& task : history.tasks) tasks.push_back(task_json(task));
  auto& faults = json["faults"] = nlohmann::json::array();
  for (const auto& fault : history.faults) faults.push_back(fault_json(fault));
  auto& workers = json["worker_events"] = nlohmann::json::array();
  for (const auto& event : history.worker_events) {
    workers.push_back({{"at", to_epoch_seconds(event.at)},
                       {"kind", event.kind},
                       {"pool", event.pool},
                       {"worker", event.worker},
                       {"detail", event.detail}});
  }
  auto& scratch = json["scratch_accesses"] = nlohmann::json::array();
  for (const auto& access : history.scratch_accesses) {
    scratch.push_back({{"at", to_epoch_seconds(access.at)},
                       {"worker", access.worker},
                       {"path", access.path},
                       {"operation", to_string(access.operation)}});
  }
  return json;
}

}  // namespace loveless::scenario
