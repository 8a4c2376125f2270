// DescribeMapRun and ListMapRuns: the Map Runs of distributed Maps
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html,
// API_ListMapRuns.html). A Map Run lives in the execution that started it
// (map_run_lookup.hpp).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
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

}  // namespace loveless::engine
