#pragma once

#include <vector>

#include "loveless/aws/json_client.hpp"
#include "loveless/history/history.hpp"

#include "workload_runner.hpp"

namespace loveless::scenario::detail {

/// The record of a started execution as the orchestrator has it now:
/// DescribeExecution (status, output, error, cause, dates) and every page of
/// GetExecutionHistory. A call that fails leaves what it could not learn
/// empty and says why in `cause` (the run goes on).
history::ExecutionRecord collect_execution(aws::JsonClient& client,
                                           const StartedExecution& started);

}  // namespace loveless::scenario::detail
