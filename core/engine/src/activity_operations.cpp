#include <chrono>
#include <string>
#include <utility>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "execution_record.hpp"
#include "limits.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "tag_request.hpp"

namespace loveless::engine {

nlohmann::json create_activity(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  reader.check_encryption_configuration();
  const auto name = reader.required_string("name");
  const auto tags = read_tags(reader);
  require_name(name);
  ActivityRecord record;
  record.arn = activity_arn(context.options.region, context.options.account_id, name);
  record.name = name;
  record.creation_date = ServiceContext::now();
  const auto created = context.activities.create(std::move(record));
  if (!tags.empty()) context.tags.add(created.arn, tags);
  return {{"activityArn", created.arn},
          {"creationDate", asl::to_epoch_seconds(created.creation_date)}};
}

nlohmann::json describe_activity(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto record = require_activity(context, reader.required_string("activityArn"));
  // AWS answers the default encryption as a member (test_sfn_api_activities).
  return {{"activityArn", record.arn},
          {"name", record.name},
          {"creationDate", asl::to_epoch_seconds(record.creation_date)},
          {"encryptionConfiguration", {{"type", "AWS_OWNED_KEY"}}}};
}

nlohmann::json list_activities(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto page_size = static_cast<std::size_t>(reader.page_size());
  const auto token = reader.next_token();
  const std::string scope = context.options.region + ":" + context.options.account_id;
  const auto after = token ? decode_page_token(*token, "activities", scope) : std::string();
  const auto records = context.activities.list_after(after, page_size);
  nlohmann::json response = {{"activities", nlohmann::json::array()}};
  for (std::size_t i = 0; i < records.size() && i < page_size; ++i) {
    response["activities"].push_back(
        {{"activityArn", records[i].arn},
         {"name", records[i].name},
         {"creationDate", asl::to_epoch_seconds(records[i].creation_date)}});
  }
  if (records.size() > page_size) {
    response["nextToken"] = encode_page_token("activities", scope, records[page_size - 1].arn);
  }
  return response;
}

nlohmann::json delete_activity(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("activityArn");
  require_arn(arn, ArnType::kActivity);
  // Tasks already queued stay queued (a re-created activity of the same name
  // serves them); new Task states on it fail to schedule.
  context.activities.remove(arn);
  context.tags.erase(arn);
  return nlohmann::json::object();
}

nlohmann::json get_activity_task(ServiceContext& context, const nlohmann::json& request) {
  return get_activity_task_from(context, request, nullptr);
}

nlohmann::json get_activity_task_from(ServiceContext& context, const nlohmann::json& request,
                                      const CallerAddress* caller) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("activityArn");
  const auto worker_name =
      reader.optional_string("workerName", 1, limits::kMaxWorkerNameLength).value_or("");
  require_activity(context, arn);
  // Resolved while the caller is certainly alive and connected: a worker
  // killed during its long poll may still be handed the task.
  auto fleet_worker = context.worker_of(caller);
  // The poller closed its connection before a server thread read its poll
  // (it was stopped meanwhile): a task handed to it would only time out.
  if (fleet_worker == kCallerGone) return nlohmann::json::object();
  const bool resolved = !fleet_worker.empty();
  if (resolved) context.single_use_pollers.resolved(worker_name, fleet_worker);
  if (fleet_worker.empty()) fleet_worker = worker_name;

  const auto deadline = std::chrono::steady_clock::now() + context.options.activity_poll_timeout;
  const auto queue = context.queues.get(arn);
  // Single-use workers know a poller by the fleet worker behind its
  // connection when the resolver names one: a worker's workerName may be
  // shared or change.
  if (!context.single_use_pollers.may_take(fleet_worker) ||
      (!resolved && context.single_use_pollers.refuses_unresolved(worker_name))) {
    // Single-use workers: this one has had its task; the runner replaces it.
    queue->idle(deadline);
    return nlohmann::json::object();
  }
  while (true) {
    auto task = queue->take(deadline);
    if (!task) return nlohmann::json::object();
    const auto record = task->execution.lock();
    if (!record) continue;
    if (!context.single_use_pollers.claim(fleet_worker)) {
      // Another poll of this worker took its one task meanwhile.
      queue->requeue(std::move(*task));
      queue->idle(deadline);
      return nlohmann::json::object();
    }
    const auto report = record->start_task(task->task_id, worker_name, fleet_worker);
    // The task closed between leaving the queue and reaching the execution
    // (timed out, execution stopped): nobody must work on it, so keep polling.
    if (report == asl::TaskReport::kStale) {
      context.single_use_pollers.release(fleet_worker);
      continue;
    }
    return {{"taskToken", task->task_token}, {"input", task->input}};
  }
}

}  // namespace loveless::engine
