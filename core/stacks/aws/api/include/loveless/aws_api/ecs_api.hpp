#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/aws/service_client.hpp"
#include "loveless/aws_api/call_guard.hpp"

/// The Amazon ECS calls of the AWS stack (awsJson1_1, X-Amz-Target prefix
/// `AmazonEC2ContainerServiceV20141113`, signing name `ecs`), following the
/// Amazon ECS API Reference (docs.aws.amazon.com/AmazonECS/latest/APIReference/).
namespace loveless::aws_api {

/// One task, as DescribeTasks returns it (only the fields the stack uses).
struct EcsTask {
  std::string task_arn;
  std::string last_status;     ///< PROVISIONING, PENDING, RUNNING, DEPROVISIONING, STOPPED, ...
  std::string desired_status;  ///< RUNNING or STOPPED
  std::string group;           ///< "service:<service name>" for a service's tasks
  /// When the task reached RUNNING, in seconds since the Unix epoch (AWS JSON timestamps).
  std::optional<double> started_at;
  std::string stopped_reason;  ///< empty unless stopped
};

/// A service's counts, as DescribeServices returns them.
struct EcsServiceStatus {
  std::string service_arn;
  std::string status;  ///< ACTIVE, DRAINING, INACTIVE
  int desired_count = 0;
  int running_count = 0;
  int pending_count = 0;
  int deployment_count = 0;  ///< entries of `deployments`
  /// The `services-stable` waiter's condition: one deployment and
  /// runningCount == desiredCount.
  [[nodiscard]] bool steady() const noexcept {
    return deployment_count == 1 && running_count == desired_count;
  }
};

/// Typed ECS calls over one `ServiceClient` (which must be built with
/// `aws::kEcs`).
///
/// Errors: AWS error answers throw `aws::AwsError` (ECS answers HTTP 400
/// `ClientException`, `InvalidParameterException`, `ClusterNotFoundException`,
/// `ServiceNotFoundException`; 500 `ServerException`); waits throw
/// `AwsWaitTimeout`; the guard throws `ResourceNotAllowed`.
///
/// Thread-safety: every member may be called from any thread; the calls go
/// out one at a time over the one client (waits hold no lock while sleeping).
class EcsApi {
 public:
  static constexpr const char* kTargetPrefix = "AmazonEC2ContainerServiceV20141113";
  /// DescribeTasks takes at most 100 task ARNs per call.
  static constexpr std::size_t kDescribeTasksBatch = 100;

  explicit EcsApi(aws::ServiceClient client);

  /// ListTasks with `serviceName` and `desiredStatus: RUNNING`, following
  /// `nextToken` through every page. Returns the task ARNs. (ListTasks.)
  std::vector<std::string> list_tasks(const std::string& cluster, const std::string& service_name);

  /// DescribeTasks in batches of 100. Tasks AWS reports under `failures`
  /// (e.g. MISSING: stopped long ago) are left out. (DescribeTasks.)
  std::vector<EcsTask> describe_tasks(const std::string& cluster,
                                      const std::vector<std::string>& task_arns);

  /// DescribeServices of one service (name or ARN). A service AWS reports
  /// under `failures` (reason MISSING) throws
  /// `aws::AwsError("ServiceNotFoundException", "<arn>: <reason>", 400)`.
  /// (DescribeServices.)
  EcsServiceStatus describe_service(const std::string& cluster, const std::string& service);

  /// StopTask `{cluster, task, reason}` through `guard` with `bound_service_arn`
  /// as the authorising resource. Before the guard lets it through, the task
  /// is described (DescribeTasks, read-only, made in a dry run too) and must
  /// belong to that service (group `service:<name>`), else
  /// `ResourceNotAllowed`. Returns the stopped task as StopTask answers it
  /// (desiredStatus STOPPED), or nullopt in a dry run (no StopTask sent). The
  /// service scheduler then starts a replacement. (StopTask; the reason is
  /// at most 255 characters.)
  std::optional<EcsTask> stop_task(const std::string& cluster, const std::string& task_arn,
                                   const std::string& reason, AwsCallGuard& guard,
                                   const std::string& bound_service_arn);

  /// Polls DescribeServices every `poll_interval` until the service is
  /// steady (`EcsServiceStatus::steady`, the `services-stable` waiter of the
  /// AWS SDKs, which polls every 15 s). Returns the steady status; throws
  /// `AwsWaitTimeout` after `timeout`.
  EcsServiceStatus wait_for_steady_state(const std::string& cluster, const std::string& service,
                                         std::chrono::milliseconds timeout,
                                         std::chrono::milliseconds poll_interval);

  /// Polls ListTasks/DescribeTasks until a task of the service is RUNNING
  /// whose ARN is not in `known_task_arns` (the tasks before a kill), and
  /// returns it: the replacement the service scheduler started. Throws
  /// `AwsWaitTimeout` after `timeout`.
  EcsTask wait_for_replacement(const std::string& cluster, const std::string& service,
                               const std::set<std::string>& known_task_arns,
                               std::chrono::milliseconds timeout,
                               std::chrono::milliseconds poll_interval);

 private:
  nlohmann::json call(const std::string& operation, const nlohmann::json& body);

  std::mutex mutex_;
  aws::ServiceClient client_;
};

/// An ECS task object of the API (`Task`) as an `EcsTask`.
[[nodiscard]] EcsTask ecs_task_from_json(const nlohmann::json& task);

}  // namespace loveless::aws_api
