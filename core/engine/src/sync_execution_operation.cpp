#include <algorithm>
#include <chrono>
#include <string>

#include "loveless/engine/service_error.hpp"

#include "execution_record.hpp"
#include "execution_start.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "state_machine_versions.hpp"

// StartSyncExecution: runs an EXPRESS execution and answers when it has
// closed, in the shape of the test_sfn_api_express recording.
namespace loveless::engine {
namespace {

// How often a waiting call looks at whether the service is shutting down.
constexpr auto kShutdownCheck = std::chrono::milliseconds(200);

// AWS bills express executions in 100 ms steps of duration and 64 MB steps
// of memory; the engine measures no memory, so the minimum stands for it.
constexpr std::int64_t kBillingStepMs = 100;
constexpr std::int64_t kBilledMemoryMb = 64;

nlohmann::json billing_details(asl::TimePoint start, asl::TimePoint stop) {
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(stop - start).count();
  const auto steps = std::max<std::int64_t>(1, (elapsed + kBillingStepMs - 1) / kBillingStepMs);
  return {{"billedDurationInMilliseconds", steps * kBillingStepMs},
          {"billedMemoryUsedInMB", kBilledMemoryMb}};
}

// SyncExecutionStatus has no ABORTED: nothing can stop an express execution.
const char* sync_status(asl::ExecutionStatus status) {
  switch (status) {
    case asl::ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case asl::ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    default:
      return "FAILED";
  }
}

}  // namespace

nlohmann::json start_sync_execution(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  reader.check_trace_header();
  const auto resolved = resolve_state_machine(context, reader.required_string("stateMachineArn"));
  auto name = reader.optional_string("name");
  auto input = reader.optional_string("input");
  if (resolved.record.type != "EXPRESS") {
    throw ServiceError("StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine");
  }
  const auto started = start_execution_of(context, resolved, std::move(name), std::move(input));
  auto& record = *started.record;
  while (!record.wait_closed(std::chrono::steady_clock::now() + kShutdownCheck)) {
    if (context.stopping.load()) {
      throw ServiceError("ServiceUnavailable",
                         "The engine is shutting down; the execution did not finish");
    }
  }

  nlohmann::json response;
  started.record->with_execution([&](asl::Execution& execution) {
    const auto stop = execution.stop_date().value_or(ServiceContext::now());
    response = {
        {"executionArn", record.arn()},
        {"stateMachineArn", record.info().state_machine_arn},
        {"name", record.info().execution_name},
        {"startDate", asl::to_epoch_seconds(execution.start_date())},
        {"stopDate", asl::to_epoch_seconds(stop)},
        {"status", sync_status(execution.status())},
        {"input", record.input_text()},
        {"inputDetails", {{"included", true}}},
        {"billingDetails", billing_details(execution.start_date(), stop)},
    };
    if (execution.status() == asl::ExecutionStatus::kSucceeded && execution.output()) {
      response["output"] = execution.output()->dump();
      response["outputDetails"] = {{"included", true}};
    } else {
      if (!execution.error().empty()) response["error"] = execution.error();
      if (!execution.cause().empty()) response["cause"] = execution.cause();
    }
  });
  return response;
}

}  // namespace loveless::engine
