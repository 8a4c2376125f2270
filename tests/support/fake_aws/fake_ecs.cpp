// The fake's Amazon ECS: ListTasks, DescribeTasks, DescribeServices and
// StopTask as the Amazon ECS API Reference describes their requests, answers
// and errors, with a service scheduler that replaces stopped tasks.
#include <chrono>

#include "fake_aws/fake_shapes.hpp"
#include "fake_aws/fake_state.hpp"

namespace loveless::testing {
namespace {

constexpr ShapeChecker kShape{"InvalidParameterException"};

double epoch_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nlohmann::json task_json(const FakeService& service, const std::string& cluster_arn,
                         const FakeTask& task) {
  nlohmann::json json = {{"taskArn", task.arn},
                         {"clusterArn", cluster_arn},
                         {"lastStatus", task.last_status},
                         {"desiredStatus", task.desired_status},
                         {"group", "service:" + service.name},
                         {"launchType", "FARGATE"}};
  if (task.started_at > 0) json["startedAt"] = task.started_at;
  if (!task.stopped_reason.empty()) json["stoppedReason"] = task.stopped_reason;
  return json;
}

/// The cluster of a request: a name or an ARN (`.../cluster/<name>`), `default` when absent.
std::map<std::string, FakeService>& find_cluster(FakeAwsControlPlane::State& state,
                                                 const nlohmann::json& body, std::string& name) {
  name = kShape.optional_string(body, "cluster");
  if (name.empty()) name = "default";
  if (const auto slash = name.rfind('/');
      name.rfind("arn:", 0) == 0 && slash != std::string::npos) {
    name = name.substr(slash + 1);
  }
  const auto it = state.clusters.find(name);
  if (it == state.clusters.end()) {
    throw FakeError(400, "ClusterNotFoundException", "Cluster not found.");
  }
  return it->second;
}

FakeService* find_service(std::map<std::string, FakeService>& cluster, const std::string& name) {
  for (auto& [service_name, service] : cluster) {
    if (service_name == name || service.arn == name) return &service;
  }
  return nullptr;
}

FakeReply list_tasks(FakeAwsControlPlane::State& state, const nlohmann::json& body) {
  std::string cluster_name;
  auto& cluster = find_cluster(state, body, cluster_name);
  const std::string service_name = kShape.optional_string(body, "serviceName");
  const std::string desired = kShape.optional_string(body, "desiredStatus");
  if (!desired.empty() && desired != "RUNNING" && desired != "PENDING" && desired != "STOPPED") {
    kShape.fail("desiredStatus must be one of RUNNING, PENDING, STOPPED");
  }
  const int max_results = kShape.optional_int(body, "maxResults", 1, 100, state.options.page_size);
  const std::string token = kShape.optional_string(body, "nextToken");
  std::vector<std::string> arns;
  for (auto& [name, service] : cluster) {
    if (!service_name.empty() && name != service_name) continue;
    for (const auto& task : service.tasks) {
      if (task.desired_status == (desired.empty() ? "RUNNING" : desired)) arns.push_back(task.arn);
    }
  }
  if (!service_name.empty() && find_service(cluster, service_name) == nullptr) {
    throw FakeError(400, "ServiceNotFoundException", "Service not found.");
  }
  std::size_t begin = 0;
  if (!token.empty()) {
    try {
      begin = std::stoul(token);
    } catch (const std::exception&) {
      kShape.fail("Invalid nextToken");
    }
  }
  const std::size_t page = std::min(arns.size(), begin + static_cast<std::size_t>(max_results));
  FakeReply reply;
  reply.body["taskArns"] = nlohmann::json::array();
  for (std::size_t i = begin; i < page; ++i) reply.body["taskArns"].push_back(arns[i]);
  if (page < arns.size()) reply.body["nextToken"] = std::to_string(page);
  return reply;
}

FakeReply describe_tasks(FakeAwsControlPlane::State& state, const nlohmann::json& body) {
  std::string cluster_name;
  auto& cluster = find_cluster(state, body, cluster_name);
  if (!body.contains("tasks")) kShape.fail("Missing required parameter tasks");
  const nlohmann::json wanted = kShape.string_array(body, "tasks");
  if (wanted.empty() || wanted.size() > 100) kShape.fail("tasks must hold 1 to 100 task ARNs");
  FakeReply reply;
  reply.body = {{"tasks", nlohmann::json::array()}, {"failures", nlohmann::json::array()}};
  const std::string cluster_arn = state.arn("ecs", "cluster/" + cluster_name);
  for (const auto& arn : wanted) {
    bool found = false;
    for (const auto& [name, service] : cluster) {
      for (const auto& task : service.tasks) {
        if (task.arn == arn.get<std::string>()) {
          reply.body["tasks"].push_back(task_json(service, cluster_arn, task));
          found = true;
        }
      }
    }
    if (!found) reply.body["failures"].push_back({{"arn", arn}, {"reason", "MISSING"}});
  }
  return reply;
}

FakeReply describe_services(FakeAwsControlPlane::State& state, const nlohmann::json& body) {
  std::string cluster_name;
  auto& cluster = find_cluster(state, body, cluster_name);
  if (!body.contains("services")) kShape.fail("Missing required parameter services");
  const nlohmann::json wanted = kShape.string_array(body, "services");
  if (wanted.empty() || wanted.size() > 10) kShape.fail("services must hold 1 to 10 services");
  FakeReply reply;
  reply.body = {{"services", nlohmann::json::array()}, {"failures", nlohmann::json::array()}};
  for (const auto& name : wanted) {
    const FakeService* service = find_service(cluster, name.get<std::string>());
    if (service == nullptr) {
      reply.body["failures"].push_back(
          {{"arn", state.arn("ecs", "service/" + cluster_name + "/" + name.get<std::string>())},
           {"reason", "MISSING"}});
      continue;
    }
    int running = 0;
    int pending = 0;
    for (const auto& task : service->tasks) {
      running += task.last_status == "RUNNING" ? 1 : 0;
      pending += task.last_status == "PENDING" ? 1 : 0;
    }
    reply.body["services"].push_back({{"serviceArn", service->arn},
                                      {"serviceName", service->name},
                                      {"clusterArn", state.arn("ecs", "cluster/" + cluster_name)},
                                      {"status", "ACTIVE"},
                                      {"desiredCount", service->desired_count},
                                      {"runningCount", running},
                                      {"pendingCount", pending},
                                      {"deployments",
                                       {{{"id", "ecs-svc/0000000000000000001"},
                                         {"status", "PRIMARY"},
                                         {"desiredCount", service->desired_count},
                                         {"runningCount", running},
                                         {"pendingCount", pending}}}}});
  }
  return reply;
}

FakeReply stop_task(FakeAwsControlPlane::State& state, const nlohmann::json& body,
                    FakeClock::time_point now) {
  std::string cluster_name;
  auto& cluster = find_cluster(state, body, cluster_name);
  const std::string arn = kShape.required_string(body, "task");
  const std::string reason = kShape.optional_string(body, "reason");
  if (reason.size() > 255) kShape.fail("reason must be at most 255 characters");
  for (auto& [name, service] : cluster) {
    for (auto& task : service.tasks) {
      // StopTask takes the task's ARN or its id (the ARN's last segment).
      if (task.arn != arn && task.arn.substr(task.arn.rfind('/') + 1) != arn) continue;
      FakeReply reply;
      if (task.desired_status != "STOPPED") {
        task.desired_status = "STOPPED";
        task.last_status = "STOPPED";
        task.stopped_reason = reason.empty() ? "Task stopped by user" : reason;
        // The service scheduler notices the missing task and starts another
        // (PENDING until it runs), as an ECS service keeps its desired count.
        FakeTask replacement;
        replacement.arn = state.arn("ecs", "task/" + cluster_name + "/" + state.new_id(32));
        replacement.last_status = "PENDING";
        replacement.desired_status = "RUNNING";
        replacement.runs_at = now + state.options.replacement_delay;
        reply.body["task"] = task_json(service, state.arn("ecs", "cluster/" + cluster_name), task);
        service.tasks.push_back(replacement);
      } else {
        reply.body["task"] = task_json(service, state.arn("ecs", "cluster/" + cluster_name), task);
      }
      return reply;
    }
  }
  throw FakeError(400, "InvalidParameterException", "The referenced task was not found.");
}

}  // namespace

void advance_ecs(FakeAwsControlPlane::State& state, FakeClock::time_point now) {
  for (auto& [cluster_name, cluster] : state.clusters) {
    for (auto& [name, service] : cluster) {
      for (auto& task : service.tasks) {
        if (task.last_status == "PENDING" && task.runs_at <= now) {
          task.last_status = "RUNNING";
          task.started_at = epoch_seconds();
        }
      }
    }
  }
}

FakeReply handle_ecs(FakeAwsControlPlane::State& state, const std::string& operation,
                     const nlohmann::json& body, FakeClock::time_point now) {
  kShape.object(body, "The request body");
  if (operation == "ListTasks") return list_tasks(state, body);
  if (operation == "DescribeTasks") return describe_tasks(state, body);
  if (operation == "DescribeServices") return describe_services(state, body);
  if (operation == "StopTask") return stop_task(state, body, now);
  throw FakeError(400, "UnknownOperationException", "Unknown operation " + operation);
}

}  // namespace loveless::testing
