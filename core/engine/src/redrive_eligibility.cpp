#include "redrive_eligibility.hpp"

#include <chrono>
#include <string>
#include <utility>

#include "service_context.hpp"

namespace loveless::engine {
namespace {

/// RedriveExecution's conditions
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html):
/// fewer than 24,999 events, so that ExecutionRedriven and one more fit in
/// the 25,000 of a history.
constexpr std::size_t kMaxRedrivableEvents = 24'999;
constexpr auto kRedrivablePeriod = std::chrono::hours(24 * 14);
constexpr auto kMaxOpenTime = std::chrono::hours(24 * 365);

RedriveEligibility not_redrivable(std::string reason) {
  return {false, "NOT_REDRIVABLE", std::move(reason)};
}

}  // namespace

RedriveEligibility redrive_eligibility(ServiceContext& context,
                                       const std::string& state_machine_arn,
                                       const asl::Execution& execution, asl::TimePoint now) {
  RedriveFacts facts;
  facts.status = execution.status();
  facts.history_size = execution.history().size();
  facts.start_date = execution.start_date();
  facts.stop_date = execution.stop_date();
  facts.redrive_count = execution.redrive_count();
  return redrive_eligibility(context, state_machine_arn, facts, now);
}

RedriveEligibility redrive_eligibility(ServiceContext& context,
                                       const std::string& state_machine_arn,
                                       const RedriveFacts& facts, asl::TimePoint now) {
  // A deleted state machine is reported as AWS reports one being deleted:
  // AWS lists no other reason that fits, and this engine removes a state
  // machine without running executions at once.
  const auto state_machine = context.state_machines.find(state_machine_arn);
  if (!state_machine || state_machine->deleting) {
    return not_redrivable("State machine is in DELETING status");
  }
  const auto status = facts.status;
  if (status == asl::ExecutionStatus::kRunning || status == asl::ExecutionStatus::kSucceeded) {
    return not_redrivable("Execution is " + std::string(asl::to_string(status)) +
                          " and cannot be redriven");
  }
  if (facts.history_size >= kMaxRedrivableEvents) {
    return not_redrivable("Execution history event limit exceeded");
  }
  if (facts.stop_date && now - *facts.stop_date > kRedrivablePeriod) {
    return not_redrivable("Execution redrivable period exceeded");
  }
  if (now - facts.start_date > kMaxOpenTime) {
    return not_redrivable("Execution has exceeded the max execution time");
  }
  if (facts.redrive_count >= kMaxRedriveCount) {
    return not_redrivable("Execution has been redriven the maximum number of times (" +
                          std::to_string(kMaxRedriveCount) + ")");
  }
  return {true, "REDRIVABLE", ""};
}

}  // namespace loveless::engine
