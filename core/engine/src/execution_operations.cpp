#include <cstdio>
#include <string>
#include <utility>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "execution_input.hpp"
#include "execution_record.hpp"
#include "limits.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "redrive_eligibility.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

// A version 4 UUID, the form AWS uses for executions started without a name.
std::string random_uuid(std::uint64_t high, std::uint64_t low) {
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32U), static_cast<unsigned>((high >> 16U) & 0xFFFFU),
                static_cast<unsigned>(high & 0xFFFFU), static_cast<unsigned>(low >> 48U),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

std::optional<asl::ExecutionStatus> parse_status_filter(const RequestReader& reader) {
  const auto filter = reader.optional_string("statusFilter");
  if (!filter) return std::nullopt;
  for (const auto status : {asl::ExecutionStatus::kRunning, asl::ExecutionStatus::kSucceeded,
                            asl::ExecutionStatus::kFailed, asl::ExecutionStatus::kTimedOut,
                            asl::ExecutionStatus::kAborted}) {
    if (*filter == asl::to_string(status)) return status;
  }
  throw_constraint("statusFilter", *filter,
                   "Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, "
                   "ABORTED]");
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
                         const asl::Execution& execution, nlohmann::json& response) {
  response["redriveCount"] = execution.redrive_count();
  if (execution.redrive_date()) {
    response["redriveDate"] = asl::to_epoch_seconds(*execution.redrive_date());
  }
  const auto eligibility = redrive_eligibility(context, record.info().state_machine_arn, execution,
                                               ServiceContext::now());
  response["redriveStatus"] = eligibility.status;
  if (!eligibility.reason.empty()) response["redriveStatusReason"] = eligibility.reason;
}

nlohmann::json start_response(const ExecutionRecord& record, const asl::Execution& execution) {
  return {{"executionArn", record.arn()},
          {"startDate", asl::to_epoch_seconds(execution.start_date())}};
}

}  // namespace

nlohmann::json start_execution(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto state_machine =
      require_state_machine(context, reader.required_string("stateMachineArn"));
  auto name = reader.optional_string("name");
  if (name) {
    require_name(*name);
  } else {
    name = random_uuid(context.next_seed(), context.next_seed());
  }
  auto input_text = reader.optional_string("input").value_or("{}");
  auto input = parse_execution_input(input_text);
  if (state_machine.deleting) {
    throw ServiceError("StateMachineDeleting",
                       "State Machine Is Being Deleted: '" + state_machine.arn + "'");
  }

  asl::ExecutionInfo info;
  info.execution_arn =
      execution_arn(context.options.region, context.options.account_id, state_machine.name, *name);
  info.execution_name = *name;
  info.state_machine_arn = state_machine.arn;
  info.state_machine_name = state_machine.name;
  info.role_arn = state_machine.role_arn;
  auto record = std::make_shared<ExecutionRecord>(
      context, state_machine.definition, std::move(info), std::move(input_text), std::move(input),
      context.executions.next_sequence(), context.next_seed());

  // Registering under the new execution's lock means nobody can observe it
  // before it has started.
  auto held = record->lock();
  const auto registered = context.executions.insert(record);
  if (registered == record) {
    nlohmann::json response;
    record->run(held, [&](asl::Execution& execution) {
      execution.start();
      response = start_response(*record, execution);
    });
    return response;
  }
  held.unlock();

  // The name is taken: StartExecution is idempotent for the same input while
  // the first execution runs.
  nlohmann::json response;
  registered->with_execution([&](asl::Execution& execution) {
    if (execution.status() == asl::ExecutionStatus::kRunning &&
        registered->input_text() == record->input_text()) {
      response = start_response(*registered, execution);
    }
  });
  if (response.is_null()) {
    throw ServiceError("ExecutionAlreadyExists",
                       "Execution Already Exists: '" + registered->arn() + "'");
  }
  return response;
}

nlohmann::json describe_execution(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto record = require_execution(context, reader.required_string("executionArn"));
  nlohmann::json response;
  record->with_execution([&](asl::Execution& execution) {
    response = {
        {"executionArn", record->arn()},
        {"stateMachineArn", record->info().state_machine_arn},
        {"name", record->info().execution_name},
        {"status", asl::to_string(execution.status())},
        {"startDate", asl::to_epoch_seconds(execution.start_date())},
        {"input", record->input_text()},
        {"inputDetails", {{"included", true}}},
    };
    if (execution.stop_date()) {
      response["stopDate"] = asl::to_epoch_seconds(*execution.stop_date());
    }
    if (execution.output()) {
      response["output"] = execution.output()->dump();
      response["outputDetails"] = {{"included", true}};
    }
    if (execution.status() != asl::ExecutionStatus::kRunning &&
        execution.status() != asl::ExecutionStatus::kSucceeded) {
      if (!execution.error().empty()) response["error"] = execution.error();
      if (!execution.cause().empty()) response["cause"] = execution.cause();
    }
    add_redrive_members(context, *record, execution, response);
  });
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
  const auto token = reader.optional_string("nextToken");
  const auto state_machine_arn = reader.optional_string("stateMachineArn");
  if (!state_machine_arn) {
    throw ServiceError("ValidationException",
                       "Must provide a StateMachine ARN (Map Run ARNs are not supported)");
  }
  require_state_machine(context, *state_machine_arn);
  const std::string scope = *state_machine_arn + "|" +
                            std::string(status ? asl::to_string(*status) : "") + "|" +
                            (redriven ? (*redriven ? "REDRIVEN" : "NOT_REDRIVEN") : "");
  std::uint64_t before = UINT64_MAX;
  if (token) {
    const auto cursor = decode_page_token(*token, "executions", scope);
    try {
      before = std::stoull(cursor);
    } catch (const std::exception&) {
      throw ServiceError("InvalidToken", "Invalid Token: '" + *token + "'");
    }
  }
  const auto records =
      context.executions.list(*state_machine_arn, before, status, page_size, redriven);
  nlohmann::json response = {{"executions", nlohmann::json::array()}};
  for (std::size_t i = 0; i < records.size() && i < page_size; ++i) {
    const auto& record = records[i];
    record->with_execution([&](asl::Execution& execution) {
      nlohmann::json item = {{"executionArn", record->arn()},
                             {"stateMachineArn", record->info().state_machine_arn},
                             {"name", record->info().execution_name},
                             {"status", asl::to_string(execution.status())},
                             {"startDate", asl::to_epoch_seconds(execution.start_date())}};
      if (execution.stop_date()) item["stopDate"] = asl::to_epoch_seconds(*execution.stop_date());
      item["redriveCount"] = execution.redrive_count();
      if (execution.redrive_date()) {
        item["redriveDate"] = asl::to_epoch_seconds(*execution.redrive_date());
      }
      response["executions"].push_back(std::move(item));
    });
  }
  if (records.size() > page_size) {
    response["nextToken"] =
        encode_page_token("executions", scope, std::to_string(records[page_size - 1]->sequence()));
  }
  return response;
}

}  // namespace loveless::engine
