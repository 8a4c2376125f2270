#include <stdexcept>

#include "loveless/history/history.hpp"

namespace loveless::history {
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
  nlohmann::json json = {{"scenario", history.scenario},
                         {"stack", history.stack},
                         {"seed", history.seed},
                         {"run_id", history.run_id},
                         {"partial", history.partial},
                         {"scratch_audited", history.scratch_audited},
                         {"host_files_audited", history.host_files_audited}};
  auto& phases = json["phases"] = nlohmann::json::array();
  for (const auto& window : history.phases) {
    phases.push_back({{"phase", to_string(window.phase)},
                      {"start", to_epoch_seconds(window.start)},
                      {"end", to_epoch_seconds(window.end)}});
  }
  auto& executions = json["executions"] = nlohmann::json::array();
  for (const auto& execution : history.executions) executions.push_back(execution_json(execution));
  if (!history.child_executions.empty()) {
    auto& children = json["child_executions"] = nlohmann::json::array();
    for (const auto& child : history.child_executions) children.push_back(execution_json(child));
  }
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
  auto& host_files = json["host_file_accesses"] = nlohmann::json::array();
  for (const auto& access : history.host_file_accesses) {
    host_files.push_back({{"at", to_epoch_seconds(access.at)},
                          {"worker", access.worker},
                          {"path", access.path},
                          {"operation", to_string(access.operation)},
                          {"file", access.file}});
  }
  return json;
}

}  // namespace loveless::history

namespace loveless::history {
namespace {

template <typename T>
T member(const nlohmann::json& json, const char* key, T fallback) {
  const auto found = json.find(key);
  if (found == json.end() || found->is_null()) return fallback;
  try {
    return found->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string("history member '") + key +
                                "' has the wrong type: " + found->dump());
  }
}

TimePoint time_member(const nlohmann::json& json, const char* key) {
  return from_epoch_seconds(member<double>(json, key, 0.0));
}

std::optional<TimePoint> optional_time(const nlohmann::json& json, const char* key) {
  const auto found = json.find(key);
  if (found == json.end() || found->is_null()) return std::nullopt;
  return time_member(json, key);
}

/// The enum value whose `to_string` is `json[key]`.
template <typename Enum, std::size_t N>
Enum enum_member(const nlohmann::json& json, const char* key, const Enum (&values)[N]) {
  const auto name = member<std::string>(json, key, std::string(to_string(values[0])));
  for (const auto value : values) {
    if (to_string(value) == name) return value;
  }
  throw std::invalid_argument(std::string("history member '") + key + "' has an unknown value '" +
                              name + "'");
}

constexpr Phase kPhases[] = {Phase::kControl, Phase::kChaos, Phase::kCold};
constexpr TaskOutcome kTaskOutcomes[] = {TaskOutcome::kOpen, TaskOutcome::kSucceeded,
                                         TaskOutcome::kFailed, TaskOutcome::kTimedOut};
constexpr FaultKind kFaultKinds[] = {FaultKind::kKill,        FaultKind::kRestart,
                                     FaultKind::kPause,       FaultKind::kLatency,
                                     FaultKind::kWipeScratch, FaultKind::kStop};
constexpr ScratchOperation kOperations[] = {ScratchOperation::kOpened, ScratchOperation::kCreated,
                                            ScratchOperation::kModified, ScratchOperation::kDeleted,
                                            ScratchOperation::kRead};

const nlohmann::json& array_member(const nlohmann::json& json, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const auto found = json.find(key);
  if (found == json.end() || found->is_null()) return kEmpty;
  if (!found->is_array()) {
    throw std::invalid_argument(std::string("history member '") + key + "' is not an array");
  }
  return *found;
}

ExecutionRecord execution_from(const nlohmann::json& json) {
  ExecutionRecord execution;
  execution.phase = enum_member(json, "phase", kPhases);
  execution.input_index = member<std::size_t>(json, "input_index", 0);
  execution.workflow = member<std::string>(json, "workflow", "");
  execution.name = member<std::string>(json, "name", "");
  execution.arn = member<std::string>(json, "arn", "");
  execution.input = json.value("input", nlohmann::json());
  execution.status = member<std::string>(json, "status", "");
  execution.output = json.value("output", nlohmann::json());
  execution.error = member<std::string>(json, "error", "");
  execution.cause = member<std::string>(json, "cause", "");
  execution.start = time_member(json, "start");
  execution.stop = optional_time(json, "stop");
  for (const auto& event : array_member(json, "events")) execution.events.push_back(event);
  return execution;
}

TaskRecord task_from(const nlohmann::json& json) {
  TaskRecord task;
  task.phase = enum_member(json, "phase", kPhases);
  task.execution_arn = member<std::string>(json, "execution_arn", "");
  task.state_name = member<std::string>(json, "state", "");
  task.pool = member<std::string>(json, "pool", "");
  task.worker = member<std::string>(json, "worker", "");
  task.scheduled_event_id = member<std::int64_t>(json, "scheduled_event_id", 0);
  task.started_event_id = member<std::int64_t>(json, "started_event_id", 0);
  task.scheduled = time_member(json, "scheduled");
  task.started = optional_time(json, "started");
  task.ended = optional_time(json, "ended");
  task.outcome = enum_member(json, "outcome", kTaskOutcomes);
  task.error = member<std::string>(json, "error", "");
  task.cause = member<std::string>(json, "cause", "");
  return task;
}

FaultRecord fault_from(const nlohmann::json& json) {
  FaultRecord fault;
  fault.id = member<std::uint64_t>(json, "id", 0);
  fault.kind = enum_member(json, "kind", kFaultKinds);
  fault.injector = member<std::string>(json, "injector", "");
  fault.triggered = time_member(json, "triggered");
  fault.applied = time_member(json, "applied");
  fault.duration = std::chrono::milliseconds(member<std::int64_t>(json, "duration_ms", 0));
  fault.pool = member<std::string>(json, "pool", "");
  fault.worker = member<std::string>(json, "worker", "");
  fault.execution_arn = member<std::string>(json, "execution_arn", "");
  fault.state_name = member<std::string>(json, "state", "");
  fault.applied_ok = member<bool>(json, "ok", true);
  fault.error = member<std::string>(json, "error", "");
  return fault;
}

}  // namespace

History history_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("a history must be a JSON object");
  History history;
  history.scenario = member<std::string>(json, "scenario", "");
  history.stack = member<std::string>(json, "stack", "");
  history.seed = member<std::uint64_t>(json, "seed", 0);
  history.run_id = member<std::string>(json, "run_id", "");
  history.partial = member<bool>(json, "partial", false);
  history.scratch_audited = member<bool>(json, "scratch_audited", false);
  for (const auto& window : array_member(json, "phases")) {
    history.phases.push_back({enum_member(window, "phase", kPhases), time_member(window, "start"),
                              time_member(window, "end")});
  }
  for (const auto& execution : array_member(json, "executions")) {
    history.executions.push_back(execution_from(execution));
  }
  for (const auto& child : array_member(json, "child_executions")) {
    history.child_executions.push_back(execution_from(child));
  }
  for (const auto& task : array_member(json, "tasks")) history.tasks.push_back(task_from(task));
  for (const auto& fault : array_member(json, "faults"))
    history.faults.push_back(fault_from(fault));
  for (const auto& event : array_member(json, "worker_events")) {
    history.worker_events.push_back(
        {time_member(event, "at"), member<std::string>(event, "kind", ""),
         member<std::string>(event, "pool", ""), member<std::string>(event, "worker", ""),
         member<std::string>(event, "detail", "")});
  }
  for (const auto& access : array_member(json, "scratch_accesses")) {
    history.scratch_accesses.push_back(
        {time_member(access, "at"), member<std::string>(access, "worker", ""),
         member<std::string>(access, "path", ""), enum_member(access, "operation", kOperations)});
  }
  history.host_files_audited = member<bool>(json, "host_files_audited", false);
  for (const auto& access : array_member(json, "host_file_accesses")) {
    history.host_file_accesses.push_back(
        {time_member(access, "at"), member<std::string>(access, "worker", ""),
         member<std::string>(access, "path", ""), enum_member(access, "operation", kOperations),
         member<std::string>(access, "file", "")});
  }
  return history;
}

}  // namespace loveless::history
