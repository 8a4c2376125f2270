#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
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

/// The ARNs of the executions `parent` started through states:startExecution
/// (the `ExecutionArn` of its TaskSubmitted or TaskSucceeded results), in
/// the order it started them.
std::vector<std::string> started_children(const history::ExecutionRecord& parent);

/// The child executions `parent` started, and theirs, `max_depth` levels down,
/// collected as `collect_execution` does: phase and input index are the
/// parent's, `workflow` is `workflow_of[state machine name]` (empty when it
/// is none of the scenario's). ARNs in `seen` are skipped; collected ones are
/// added. `pace` runs before each child's calls (the stack's rate of history
/// calls).
std::vector<history::ExecutionRecord> collect_children(
    aws::JsonClient& client, const history::ExecutionRecord& parent,
    const std::map<std::string, std::string>& workflow_of, std::set<std::string>& seen,
    const std::function<void()>& pace, int max_depth = 8);

}  // namespace loveless::scenario::detail
