#include <string>
#include <utility>

#include "loveless/asl/json_document.hpp"
#include "loveless/engine/service_error.hpp"

#include "execution_record.hpp"
#include "limits.hpp"
#include "operations.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

[[noreturn]] void throw_timed_out() {
  throw ServiceError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

struct OpenTask {
  std::shared_ptr<ExecutionRecord> execution;
  TaskEntry entry;
};

// A task answered before any poller took it must not be handed out later
// (callback tokens of lambda:invoke.waitForTaskToken have no queue).
void remove_from_queue(ServiceContext& context, const OpenTask& task, const std::string& token) {
  if (!task.entry.activity_arn.empty()) context.queues.get(task.entry.activity_arn)->remove(token);
}

// Resolves a token to its open task: InvalidToken for a token this service
// never issued (or one of the wrong size), TaskTimedOut for one that closed.
OpenTask require_open_task(ServiceContext& context, const std::string& token) {
  if (token.empty() || character_count(token) > limits::kMaxTaskTokenLength) {
    throw ServiceError("InvalidToken", "Invalid Token: '" + token.substr(0, 64) + "'");
  }
  auto entry = context.tasks.find(token);
  if (!entry) throw ServiceError("InvalidToken", "Invalid Token: '" + token + "'");
  if (entry->closed) throw_timed_out();
  auto execution = entry->execution.lock();
  if (!execution) {
    throw ServiceError("TaskDoesNotExist", "Task Does Not Exist: '" + token + "'");
  }
  return {std::move(execution), std::move(*entry)};
}

void require_accepted(asl::TaskReport report) {
  if (report == asl::TaskReport::kStale) throw_timed_out();
}

}  // namespace

nlohmann::json send_task_success(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto token = reader.required_string("taskToken");
  const auto output_text = reader.required_string("output");
  if (output_text.size() > limits::kMaxPayloadBytes) {
    throw ServiceError("InvalidOutput", "Invalid Output: 'Output exceeds the maximum size of " +
                                            std::to_string(limits::kMaxPayloadBytes) + " bytes'");
  }
  nlohmann::json output;
  try {
    output = asl::parse_json_document(output_text);
  } catch (const asl::JsonDocumentError& e) {
    throw ServiceError("InvalidOutput",
                       "Invalid Output: 'Output is not valid JSON: " + std::string(e.what()) + "'");
  }
  const auto task = require_open_task(context, token);
  remove_from_queue(context, task, token);
  require_accepted(
      task.execution->report_task(task.entry.task_id, true, [&](asl::Execution& execution) {
        return execution.task_succeeded(task.entry.task_id, std::move(output));
      }));
  return nlohmann::json::object();
}

nlohmann::json send_task_failure(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto token = reader.required_string("taskToken");
  const auto error = reader.optional_string("error", 0, limits::kMaxErrorLength).value_or("");
  const auto cause = reader.optional_string("cause", 0, limits::kMaxCauseLength).value_or("");
  const auto task = require_open_task(context, token);
  remove_from_queue(context, task, token);
  require_accepted(
      task.execution->report_task(task.entry.task_id, true, [&](asl::Execution& execution) {
        return execution.task_failed(task.entry.task_id, error, cause);
      }));
  return nlohmann::json::object();
}

nlohmann::json send_task_heartbeat(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto token = reader.required_string("taskToken");
  const auto task = require_open_task(context, token);
  require_accepted(task.execution->report_task(
      task.entry.task_id, false,
      [&](asl::Execution& execution) { return execution.task_heartbeat(task.entry.task_id); }));
  return nlohmann::json::object();
}

}  // namespace loveless::engine
