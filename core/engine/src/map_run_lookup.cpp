#include "map_run_lookup.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "execution_record.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

/// `arn:<partition>:states:<region>:<account>:<type>:<machine>/<label>:<id>`
/// -> the state machine's ARN; nullopt for any other shape.
std::optional<std::string> parent_state_machine(std::string_view arn, std::string_view type) {
  const auto fields = split_fields(arn, ':');
  if (fields.size() != 8 || fields[0] != "arn" || fields[2] != "states" || fields[5] != type) {
    return std::nullopt;
  }
  const auto slash = fields[6].find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == fields[6].size() ||
      fields[7].empty()) {
    return std::nullopt;
  }
  return state_machine_arn(fields[3], fields[4], fields[6].substr(0, slash));
}

/// Calls `visit` on each execution of `state_machine`, newest first, under
/// its lock, until `visit` says it found what it looks for; returns whether it did.
bool find_in_executions_of(
    ServiceContext& context, const std::string& state_machine,
    const std::function<bool(const ExecutionRecord&, asl::Execution&)>& visit) {
  const auto records =
      context.executions.list(state_machine, std::numeric_limits<std::uint64_t>::max(),
                              std::nullopt, std::numeric_limits<std::size_t>::max() - 1);
  for (const auto& record : records) {
    bool found = false;
    record->with_execution([&](asl::Execution& execution) { found = visit(*record, execution); });
    if (found) return true;
  }
  return false;
}

}  // namespace

bool is_child_execution_arn(std::string_view arn) {
  return parent_state_machine(arn, "execution").has_value();
}

void with_map_run_owner(ServiceContext& context, const std::string& map_run_arn,
                        const std::function<void(const ExecutionRecord&, asl::Execution&,
                                                 const asl::MapRunSummary&)>& fn) {
  const auto machine = parent_state_machine(map_run_arn, "mapRun");
  if (!machine) throw_invalid_arn(map_run_arn);
  const bool found = find_in_executions_of(
      context, *machine, [&](const ExecutionRecord& record, asl::Execution& execution) {
        for (const auto& run : execution.map_runs()) {
          if (run.arn != map_run_arn) continue;
          fn(record, execution, run);
          return true;
        }
        return false;
      });
  if (!found) {
    throw ServiceError("ResourceNotFound", "Map Run Does Not Exist: '" + map_run_arn + "'");
  }
}

void with_child_execution(ServiceContext& context, const std::string& arn,
                          const std::function<void(const asl::ChildExecution&)>& fn) {
  const auto machine = parent_state_machine(arn, "execution");
  const bool found =
      machine && find_in_executions_of(context, *machine,
                                       [&](const ExecutionRecord&, asl::Execution& execution) {
                                         for (const auto& child : execution.child_executions()) {
                                           if (child.arn != arn) continue;
                                           fn(child);
                                           return true;
                                         }
                                         return false;
                                       });
  if (!found) {
    throw ServiceError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }
}

nlohmann::json describe_child_execution(const asl::ChildExecution& child) {
  nlohmann::json response = {
      {"executionArn", child.arn},
      {"stateMachineArn", child.state_machine_arn},
      {"name", child.name},
      {"status", asl::to_string(child.status)},
      {"startDate", asl::to_epoch_seconds(child.start_date)},
      {"input", child.input.dump()},
      {"inputDetails", {{"included", true}}},
      {"mapRunArn", child.map_run_arn},
      {"redriveCount", 0},
      // Our choice: a child is redriven through its parent (RedriveExecution
      // reruns the whole Map Run), never on its own.
      {"redriveStatus", "NOT_REDRIVABLE"},
  };
  if (child.stop_date) response["stopDate"] = asl::to_epoch_seconds(*child.stop_date);
  if (child.output) {
    response["output"] = child.output->dump();
    response["outputDetails"] = {{"included", true}};
  }
  if (!child.error.empty()) response["error"] = child.error;
  if (!child.cause.empty()) response["cause"] = child.cause;
  return response;
}

}  // namespace loveless::engine
