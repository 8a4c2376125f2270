#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/execution.hpp"

namespace loveless::engine {

struct ServiceContext;

/// DescribeExecution's `redriveStatus` and `redriveStatusReason`: whether
/// RedriveExecution would restart the execution now, and if not, why
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
struct RedriveEligibility {
  bool redrivable = false;
  /// `REDRIVABLE` or `NOT_REDRIVABLE` (`REDRIVABLE_BY_MAP_RUN` is for
  /// Distributed Map runs, which this engine does not run).
  std::string status;
  /// Empty when redrivable; else the reason, in AWS's words where AWS
  /// records them ("Execution is SUCCEEDED and cannot be redriven").
  std::string reason;
};

/// The most redrives AWS allows one execution.
inline constexpr std::int64_t kMaxRedriveCount = 1000;

/// What the judgement reads of an execution.
struct RedriveFacts {
  asl::ExecutionStatus status = asl::ExecutionStatus::kRunning;
  std::size_t history_size = 0;
  asl::TimePoint start_date{};
  std::optional<asl::TimePoint> stop_date;
  std::int64_t redrive_count = 0;
};

/// As below, from facts read earlier (an `ExecutionSummary`, without the
/// execution's lock).
RedriveEligibility redrive_eligibility(ServiceContext& context,
                                       const std::string& state_machine_arn,
                                       const RedriveFacts& facts, asl::TimePoint now);

/// Judges `execution` (its lock held by the caller) of the state machine
/// `state_machine_arn` at `now`, in AWS's order: its state machine DELETING
/// or deleted, RUNNING, SUCCEEDED, a history too full for ExecutionRedriven
/// and one more event (24,999 events), closed more than 14 days ago, started
/// more than a year ago, and 1,000 redrives already.
RedriveEligibility redrive_eligibility(ServiceContext& context,
                                       const std::string& state_machine_arn,
                                       const asl::Execution& execution, asl::TimePoint now);

}  // namespace loveless::engine
