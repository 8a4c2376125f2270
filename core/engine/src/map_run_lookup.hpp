#pragma once

// Finding Map Runs and their child executions. Both live inside the parent
// execution that ran the distributed Map; their ARNs name only its state
// machine (`...:mapRun:<machine>/<label>:<id>`,
// `...:execution:<machine>/<label>:<name>`), so a lookup goes through that
// state machine's executions, each under its own lock.

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/asl/execution.hpp"

namespace loveless::engine {

struct ServiceContext;
class ExecutionRecord;

/// Whether `arn` is shaped like a child execution's ARN (a `/` in the state
/// machine part of an execution ARN).
bool is_child_execution_arn(std::string_view arn);

/// Runs `fn` on the execution that started Map Run `map_run_arn` and on the
/// Map Run, under the execution's lock. InvalidArn for a malformed ARN,
/// ResourceNotFound ("Map Run Does Not Exist: '<arn>'") when no execution holds it.
void with_map_run_owner(ServiceContext& context, const std::string& map_run_arn,
                        const std::function<void(const ExecutionRecord&, asl::Execution&,
                                                 const asl::MapRunSummary&)>& fn);

/// Runs `fn` on child execution `arn`, under its parent's lock.
/// ExecutionDoesNotExist ("Execution Does Not Exist: '<arn>'") when none.
void with_child_execution(ServiceContext& context, const std::string& arn,
                          const std::function<void(const asl::ChildExecution&)>& fn);

/// DescribeExecution's answer for a child execution (with `mapRunArn`).
nlohmann::json describe_child_execution(const asl::ChildExecution& child);

}  // namespace loveless::engine
