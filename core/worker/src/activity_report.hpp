#pragma once

#include <chrono>
#include <string>

#include "loveless/aws/json_client.hpp"

#include "handler_outcome.hpp"

namespace loveless::worker {

/// Reports an activity task's outcome: SendTaskSuccess `{taskToken, output:
/// JSON text}` or SendTaskFailure `{taskToken, error, cause}`. Retryable
/// failures are retried with capped backoff for up to `retry_for`; an output
/// Step Functions refuses (InvalidOutput, e.g. above 256 KiB) fails the task
/// with `Worker.InvalidOutput` instead of leaving it open. A task that is gone
/// (TaskTimedOut) is logged. Never throws.
void report_activity_outcome(aws::JsonClient& client, const std::string& task_token,
                             const HandlerOutcome& outcome, std::chrono::milliseconds retry_for);

}  // namespace loveless::worker
