#include "loveless/aws_api/ecs_api.hpp"

#include <algorithm>
#include <utility>

#include "loveless/aws/json_members.hpp"
#include "loveless/aws_api/wait.hpp"

namespace loveless::aws_api {
namespace {}  // namespace

EcsTask ecs_task_from_json(const nlohmann::json& task) {
  EcsTask result;
  result.task_arn = aws::string_member(task, "taskArn");
  result.last_status = aws::string_member(task, "lastStatus");
  result.desired_status = aws::string_member(task, "desiredStatus");
  result.group = aws::string_member(task, "group");
  result.stopped_reason = aws::string_member(task, "stoppedReason");
  if (const auto it = task.find("startedAt"); it != task.end() && it->is_number()) {
    result.started_at = it->get<double>();
  }
  return result;
}

EcsApi::EcsApi(aws::ServiceClient client) : client_(std::move(client)) {}

nlohmann::json EcsApi::call(const std::string& operation, const nlohmann::json& body) {
  std::lock_guard lock(mutex_);
  return client_.json_call(std::string(kTargetPrefix) + "." + operation, "1.1", body);
}

std::vector<std::string> EcsApi::list_tasks(const std::string& cluster,
                                            const std::string& service_name) {
  std::vector<std::string> arns;
  nlohmann::json request = {
      {"cluster", cluster}, {"serviceName", service_name}, {"desiredStatus", "RUNNING"}};
  while (true) {
    const nlohmann::json page = call("ListTasks", request);
    for (const auto& arn : page.value("taskArns", nlohmann::json::array())) {
      if (arn.is_string()) arns.push_back(arn.get<std::string>());
    }
    const std::string next = aws::string_member(page, "nextToken");
    if (next.empty()) break;
    request["nextToken"] = next;
  }
  return arns;
}

std::vector<EcsTask> EcsApi::describe_tasks(const std::string& cluster,
                                            const std::vector<std::string>& task_arns) {
  std::vector<EcsTask> tasks;
  for (std::size_t begin = 0; begin < task_arns.size(); begin += kDescribeTasksBatch) {
    const std::size_t end = std::min(task_arns.size(), begin + kDescribeTasksBatch);
    const std::vector<std::string> batch(task_arns.begin() + static_cast<std::ptrdiff_t>(begin),
                                         task_arns.begin() + static_cast<std::ptrdiff_t>(end));
    const nlohmann::json answer = call("DescribeTasks", {{"cluster", cluster}, {"tasks", batch}});
    for (const auto& task : answer.value("tasks", nlohmann::json::array())) {
      tasks.push_back(ecs_task_from_json(task));
    }
  }
  return tasks;
}

EcsServiceStatus EcsApi::describe_service(const std::string& cluster, const std::string& service) {
  const nlohmann::json answer =
      call("DescribeServices", {{"cluster", cluster}, {"services", {service}}});
  const auto services = answer.value("services", nlohmann::json::array());
  if (services.empty() || !services.front().is_object()) {
    std::string reason = "MISSING";
    std::string arn = service;
    const auto failures = answer.value("failures", nlohmann::json::array());
    if (!failures.empty() && failures.front().is_object()) {
      reason = failures.front().value("reason", reason);
      arn = failures.front().value("arn", arn);
    }
    throw aws::AwsError("ServiceNotFoundException", arn + ": " + reason, 400);
  }
  const nlohmann::json& found = services.front();
  EcsServiceStatus status;
  status.service_arn = aws::string_member(found, "serviceArn");
  status.status = aws::string_member(found, "status");
  status.desired_count = aws::integer_member(found, "desiredCount");
  status.running_count = aws::integer_member(found, "runningCount");
  status.pending_count = aws::integer_member(found, "pendingCount");
  if (const auto it = found.find("deployments"); it != found.end() && it->is_array()) {
    status.deployment_count = static_cast<int>(it->size());
  }
  return status;
}

std::optional<EcsTask> EcsApi::stop_task(const std::string& cluster, const std::string& task_arn,
                                         const std::string& reason, AwsCallGuard& guard,
                                         const std::string& bound_service_arn) {
  // StopTask's reason is limited to 255 characters; a longer one is refused
  // by ECS with InvalidParameterException, so it is cut here instead.
  const nlohmann::json request = {
      {"cluster", cluster}, {"task", task_arn}, {"reason", reason.substr(0, 255)}};
  const MutatingCall stop{"ecs", "StopTask", bound_service_arn, task_arn, request};
  // An unbound service is refused before anything is sent, even a read.
  if (!guard.allows(bound_service_arn)) guard.permit(stop);
  // The allow-list names services, StopTask takes tasks: a task of another
  // service must not pass under a bound service's name. A task ECS no longer
  // knows is left to StopTask, which answers for it.
  const std::string group = "service:" + bound_service_arn.substr(bound_service_arn.rfind('/') + 1);
  for (const auto& task : describe_tasks(cluster, {task_arn})) {
    if (task.group != group) {
      throw ResourceNotAllowed("ecs:StopTask on " + task_arn + " refused: the task belongs to " +
                               (task.group.empty() ? std::string("no service") : task.group) +
                               ", not to the bound service " + bound_service_arn);
    }
  }
  if (!guard.permit(stop)) return std::nullopt;
  const nlohmann::json answer = call("StopTask", request);
  return ecs_task_from_json(answer.value("task", nlohmann::json::object()));
}

EcsServiceStatus EcsApi::wait_for_steady_state(const std::string& cluster,
                                               const std::string& service,
                                               std::chrono::milliseconds timeout,
                                               std::chrono::milliseconds poll_interval) {
  EcsServiceStatus last;
  if (poll_until(timeout, poll_interval, [&] {
        last = describe_service(cluster, service);
        return last.steady();
      })) {
    return last;
  }
  throw AwsWaitTimeout("ECS service " + service + " in " + cluster + " not steady after " +
                       std::to_string(timeout.count()) +
                       " ms (last seen: " + std::to_string(last.running_count) + " running of " +
                       std::to_string(last.desired_count) + " desired, " +
                       std::to_string(last.deployment_count) + " deployments)");
}

EcsTask EcsApi::wait_for_replacement(const std::string& cluster, const std::string& service,
                                     const std::set<std::string>& known_task_arns,
                                     std::chrono::milliseconds timeout,
                                     std::chrono::milliseconds poll_interval) {
  EcsTask replacement;
  std::size_t last_seen = 0;
  if (poll_until(timeout, poll_interval, [&] {
        std::vector<std::string> fresh;
        for (auto& arn : list_tasks(cluster, service)) {
          if (known_task_arns.count(arn) == 0) fresh.push_back(std::move(arn));
        }
        last_seen = fresh.size();
        if (fresh.empty()) return false;
        // ListTasks with desiredStatus RUNNING also lists PENDING tasks; a
        // replacement counts once it actually runs.
        for (auto& task : describe_tasks(cluster, fresh)) {
          if (task.last_status == "RUNNING") {
            replacement = std::move(task);
            return true;
          }
        }
        return false;
      })) {
    return replacement;
  }
  throw AwsWaitTimeout("no replacement task RUNNING for ECS service " + service + " in " + cluster +
                       " after " + std::to_string(timeout.count()) + " ms (" +
                       std::to_string(last_seen) + " new tasks seen, none RUNNING)");
}

}  // namespace loveless::aws_api
