#include <string>
#include <utility>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "execution_input.hpp"
#include "execution_record.hpp"
#include "execution_start.hpp"
#include "limits.hpp"
#include "lookups.hpp"
#include "map_run_lookup.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "redrive_eligibility.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "state_machine_versions.hpp"

namespace loveless::engine {
namespace {

/// ListExecutions' `statusFilter`: a status, or PENDING_REDRIVE, which no
/// execution here is ever in (a redrive restarts the execution at once).
struct StatusFilter {
  std::optional<asl::ExecutionStatus> status;
  bool pending_redrive = false;

  [[nodiscard]] bool admits(asl::ExecutionStatus candidate) const {
    return !pending_redrive && (!status || *status == candidate);
  }
  /// The filter's part of a page token's scope.
  [[nodiscard]] std::string scope() const {
    return pending_redrive ? "PENDING_REDRIVE" : std::string(status ? asl::to_string(*status) : "");
  }
};

StatusFilter parse_status_filter(const RequestReader& reader) {
  const auto filter = reader.optional_string("statusFilter");
  if (!filter) return {};
  if (*filter == "PENDING_REDRIVE") return {std::nullopt, true};
  for (const auto status : {asl::ExecutionStatus::kRunning, asl::ExecutionStatus::kSucceeded,
                            asl::ExecutionStatus::kFailed, asl::ExecutionStatus::kTimedOut,
                            asl::ExecutionStatus::kAborted}) {
    if (*filter == asl::to_string(status)) return {status, false};
  }
  // AWS's list, in its order (test_sfn_api: test_state_machine_status_filter).
  throw_constraint("statusFilter", *filter,
                   "Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, "
                   "ABORTED, FAILED, RUNNING]");
}

/// ListExecutions' `redriveFilter`: REDRIVEN (true), NOT_REDRIVEN (false), absent.
std::optional<bool> parse_redrive_filter(const RequestReader& reader) {
  const auto filter = reader.optional_string("redriveFilter");
  if (!filter) return std::nullopt;
  if (*filter == "REDRIVEN") return true;
  if (*filter == "NOT_REDRIVEN") return false;
  throw_constraint("redriveFilter", *filter,
                   "Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]");
}

/// DescribeExecution's redrive members: `redriveCount` always, as AWS
/// records it (0 before any redrive), `redriveDate` once redriven, the
/// status, and the reason when it is NOT_REDRIVABLE.
void add_redrive_members(ServiceContext& context, const ExecutionRecord& record,
                         const ExecutionSummary& summary, nlohmann::json& response) {
  response["redriveCount"] = summary.redrive_count;
  if (summary.redrive_date) response["redriveDate"] = asl::to_epoch_seconds(*summary.redrive_date);
  RedriveFacts facts;
  facts.status = summary.status;
  facts.history_size = summary.history_size;
  facts.start_date = summary.start_date;
  facts.stop_date = summary.stop_date;
  facts.redrive_count = summary.redrive_count;
  const auto eligibility =
      redrive_eligibility(context, record.info().state_machine_arn, facts, ServiceContext::now());
  response["redriveStatus"] = eligibility.status;
  if (!eligibility.reason.empty()) response["redriveStatusReason"] = eligibility.reason;
}

/// `stateMachineVersionArn` and `stateMachineAliasArn` of an execution
/// started through a version or an alias (test_sfn_api_aliasing).
void add_started_through(const ExecutionRecord& record, nlohmann::json& item) {
  if (!record.version_arn().empty()) item["stateMachineVersionArn"] = record.version_arn();
  if (!record.alias_arn().empty()) item["stateMachineAliasArn"] = record.alias_arn();
}

/// ListExecutions by `mapRunArn`: the Map Run's child executions, newest
/// first. The cursor is a position in the parent's child executions, which
/// only grow, so pages stay consistent while children start.
nlohmann::json list_child_executions(ServiceContext& context, const std::string& map_run_arn,
                                     const StatusFilter& status, std::size_t page_size,
                                     const std::optional<std::string>& token) {
  const std::string scope = map_run_arn + "|" + status.scope();
  const std::uint64_t before = token ? decode_page_number(*token, "executions", scope) : UINT64_MAX;
  nlohmann::json response = {{"executions", nlohmann::json::array()}};
  with_map_run_owner(
      context, map_run_arn,
      [&](const ExecutionRecord&, asl::Execution& execution, const asl::MapRunSummary&) {
        const auto& all = execution.child_executions();
        std::size_t taken = 0;
        for (std::size_t index = std::min<std::uint64_t>(before, all.size()); index-- > 0;) {
          const auto& child = all[index];
          if (child.map_run_arn != map_run_arn) continue;
          if (!status.admits(child.status)) continue;
          if (taken == page_size) {
            response["nextToken"] =
                encode_page_token("executions", scope, std::to_string(index + 1));
            break;
          }
          ++taken;
          nlohmann::json item = {{"executionArn", child.arn},
                                 {"stateMachineArn", child.state_machine_arn},
                                 {"name", child.name},
                                 {"status", asl::to_string(child.status)},
                                 {"startDate", asl::to_epoch_seconds(child.start_date)},
                                 {"mapRunArn", child.map_run_arn},
                                 {"redriveCount", 0}};
          if (child.stop_date) item["stopDate"] = asl::to_epoch_seconds(*child.stop_date);
          response["executions"].push_back(std::move(item));
        }
      });
  return response;
}

}  // namespace

nlohmann::json start_execution(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  reader.check_trace_header();
  const auto resolved = resolve_state_machine(context, reader.required_string("stateMachineArn"));
  return start_execution_of(context, resolved, reader.optional_string("name"),
                            reader.optional_string("input"))
      .response;
}

nlohmann::json describe_execution(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("executionArn");
  if (is_child_execution_arn(arn)) {
    nlohmann::json response;
    with_child_execution(context, arn, [&](const asl::ChildExecution& child) {
      response = describe_child_execution(child);
    });
    return response;
  }
  const auto record = require_execution(context, arn);
  // From the summary, never the execution's lock: a step in progress (a long
  // JSONata expression) does not hold this call.
  const auto summary = record->summary();
  nlohmann::json response = {
      {"executionArn", record->arn()},
      {"stateMachineArn", record->info().state_machine_arn},
      {"name", record->info().execution_name},
      {"status", asl::to_string(summary->status)},
      {"startDate", asl::to_epoch_seconds(summary->start_date)},
      {"input", record->input_text()},
      {"inputDetails", {{"included", true}}},
  };
  add_started_through(*record, response);
  if (summary->stop_date) response["stopDate"] = asl::to_epoch_seconds(*summary->stop_date);
  if (summary->output) {
    response["output"] = summary->output->dump();
    response["outputDetails"] = {{"included", true}};
  }
  if (summary->status != asl::ExecutionStatus::kRunning &&
      summary->status != asl::ExecutionStatus::kSucceeded) {
    if (!summary->error.empty()) response["error"] = summary->error;
    if (!summary->cause.empty()) response["cause"] = summary->cause;
  }
  add_redrive_members(context, *record, *summary, response);
  return response;
}

nlohmann::json stop_execution(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("executionArn");
  const auto error = reader.optional_string("error", 0, limits::kMaxErrorLength).value_or("");
  const auto cause = reader.optional_string("cause", 0, limits::kMaxCauseLength).value_or("");
  const auto record = require_execution(context, arn);
  nlohmann::json response;
  record->with_execution([&](asl::Execution& execution) {
    // Stopping a closed execution changes nothing and reports when it ended.
    execution.stop(error, cause);
    const auto stop_date = execution.stop_date().value_or(ServiceContext::now());
    response = {{"stopDate", asl::to_epoch_seconds(stop_date)}};
  });
  return response;
}

nlohmann::json list_executions(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto page_size = static_cast<std::size_t>(reader.page_size());
  const auto status = parse_status_filter(reader);
  const auto redriven = parse_redrive_filter(reader);
  const auto token = reader.next_token(3096);
  const auto state_machine_arn = reader.optional_string("stateMachineArn");
  const auto map_run_arn = reader.optional_string("mapRunArn");
  if (state_machine_arn.has_value() == map_run_arn.has_value()) {
    throw ServiceError("ValidationException",
                       "Must provide a StateMachine ARN or a MapRun ARN, but not both");
  }
  if (map_run_arn) return list_child_executions(context, *map_run_arn, status, page_size, token);
  // A version or alias ARN lists the executions started through it.
  std::string listed_arn = *state_machine_arn;
  std::string started_through;
  if (const auto parsed = parse_arn(listed_arn); parsed && parsed->qualified()) {
    started_through = listed_arn;
    listed_arn = parsed->state_machine_arn();
  }
  if (require_state_machine(context, listed_arn).type == "EXPRESS") {
    throw ServiceError("StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine");
  }
  const std::string scope = *state_machine_arn + "|" + status.scope() + "|" +
                            (redriven ? (*redriven ? "REDRIVEN" : "NOT_REDRIVEN") : "");
  const std::uint64_t before = token ? decode_page_number(*token, "executions", scope) : UINT64_MAX;
  const auto records = status.pending_redrive
                           ? std::vector<std::shared_ptr<ExecutionRecord>>{}
                           : context.executions.list(listed_arn, before, status.status, page_size,
                                                     redriven, started_through);
  nlohmann::json response = {{"executions", nlohmann::json::array()}};
  for (std::size_t i = 0; i < records.size() && i < page_size; ++i) {
    const auto& record = records[i];
    const auto summary = record->summary();  // no lock: see describe_execution
    nlohmann::json item = {{"executionArn", record->arn()},
                           {"stateMachineArn", record->info().state_machine_arn},
                           {"name", record->info().execution_name},
                           {"status", asl::to_string(summary->status)},
                           {"startDate", asl::to_epoch_seconds(summary->start_date)}};
    add_started_through(*record, item);
    if (summary->stop_date) item["stopDate"] = asl::to_epoch_seconds(*summary->stop_date);
    item["redriveCount"] = summary->redrive_count;
    if (summary->redrive_date) item["redriveDate"] = asl::to_epoch_seconds(*summary->redrive_date);
    response["executions"].push_back(std::move(item));
  }
  if (records.size() > page_size) {
    response["nextToken"] =
        encode_page_token("executions", scope, std::to_string(records[page_size - 1]->sequence()));
  }
  return response;
}

}  // namespace loveless::engine
