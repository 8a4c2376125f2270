// DescribeMapRun, ListMapRuns and UpdateMapRun: the Map Runs of distributed
// Maps (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html,
// API_ListMapRuns.html, API_UpdateMapRun.html). A Map Run lives in the execution that started it
// (map_run_lookup.hpp).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "execution_record.hpp"
#include "lookups.hpp"
#include "map_run_lookup.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

nlohmann::json counts_of(const asl::MapRunSummary& run, std::int64_t total) {
  return {{"pending", run.pending}, {"running", run.running}, {"succeeded", run.succeeded},
          {"failed", run.failed},   {"timedOut", 0},          {"aborted", run.aborted},
          {"total", total},         {"resultsWritten", 0},    {"failuresNotRedrivable", 0},
          {"pendingRedrive", 0}};
}

nlohmann::json describe(const asl::MapRunSummary& run, const std::string& execution_arn) {
  nlohmann::json response = {
      {"mapRunArn", run.arn},
      {"executionArn", execution_arn},
      {"status", run.status},
      {"startDate", asl::to_epoch_seconds(run.start_date)},
      {"maxConcurrency", run.max_concurrency},
      {"toleratedFailurePercentage", run.tolerated_failure_percentage},
      {"toleratedFailureCount", run.tolerated_failure_count},
      // Items and child executions are counted alike: with an ItemBatcher a
      // child runs a batch, and only the total tells the items apart.
      {"itemCounts", counts_of(run, run.items)},
      {"executionCounts", counts_of(run, run.total)},
      {"redriveCount", 0},
  };
  if (run.stop_date) response["stopDate"] = asl::to_epoch_seconds(*run.stop_date);
  return response;
}

/// The integer `member`, nullopt when absent; ValidationException (AWS's
/// constraint message) below 0.
std::optional<std::int64_t> non_negative_int(const RequestReader& reader, std::string_view member) {
  const auto value = reader.optional_int(member);
  if (value && *value < 0) {
    throw_constraint(member, std::to_string(*value),
                     "Member must have value greater than or equal to 0");
  }
  return value;
}

/// `toleratedFailurePercentage`, nullopt when absent; ValidationException
/// (AWS's constraint message) outside 0..100.
std::optional<double> tolerated_percentage(const RequestReader& reader) {
  const nlohmann::json* value = reader.member("toleratedFailurePercentage");
  if (value == nullptr) return std::nullopt;
  const auto percentage = value->get<double>();  // a number: the request's shape is checked
  if (percentage < 0) {
    throw_constraint("toleratedFailurePercentage", value->dump(),
                     "Member must have value greater than or equal to 0");
  }
  if (percentage > 100) {
    throw_constraint("toleratedFailurePercentage", value->dump(),
                     "Member must have value less than or equal to 100");
  }
  return percentage;
}

}  // namespace

nlohmann::json describe_map_run(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const std::string arn = reader.required_string("mapRunArn");
  nlohmann::json response;
  with_map_run_owner(
      context, arn,
      [&](const ExecutionRecord& record, asl::Execution&, const asl::MapRunSummary& run) {
        response = describe(run, record.arn());
      });
  return response;
}

nlohmann::json list_map_runs(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto page_size = static_cast<std::size_t>(reader.page_size());
  const auto record = require_execution(context, reader.required_string("executionArn"));
  // Map Runs only grow, in start order: a position is a stable cursor.
  const auto token = reader.next_token();
  const std::size_t first = token ? decode_page_number(*token, "mapRuns", record->arn()) : 0;
  nlohmann::json response = {{"mapRuns", nlohmann::json::array()}};
  record->with_execution([&](asl::Execution& execution) {
    const auto& runs = execution.map_runs();
    for (std::size_t i = first; i < runs.size() && i < first + page_size; ++i) {
      response["mapRuns"].push_back({{"executionArn", record->arn()},
                                     {"mapRunArn", runs[i].arn},
                                     {"stateMachineArn", record->info().state_machine_arn},
                                     {"startDate", asl::to_epoch_seconds(runs[i].start_date)}});
      if (runs[i].stop_date) {
        response["mapRuns"].back()["stopDate"] = asl::to_epoch_seconds(*runs[i].stop_date);
      }
    }
    if (first + page_size < runs.size()) {
      response["nextToken"] =
          encode_page_token("mapRuns", record->arn(), std::to_string(first + page_size));
    }
  });
  return response;
}

nlohmann::json update_map_run(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const std::string arn = reader.required_string("mapRunArn", 1, 2000);
  asl::MapRunUpdate update;
  update.max_concurrency = non_negative_int(reader, "maxConcurrency");
  update.tolerated_failure_count = non_negative_int(reader, "toleratedFailureCount");
  update.tolerated_failure_percentage = tolerated_percentage(reader);
  bool updated = false;
  with_map_run_owner(
      context, arn,
      [&](const ExecutionRecord&, asl::Execution& execution, const asl::MapRunSummary&) {
        updated = execution.update_map_run(arn, update);
      });
  if (!updated) {
    throw ServiceError("ValidationException", "Map Run is not running: '" + arn + "'");
  }
  return nlohmann::json::object();
}

}  // namespace loveless::engine
