#pragma once

// What the aws stack tests share: the aws stack's pools against the FAKE AWS
// control plane (tests/support/fake_aws, loopback only), our engine in
// process as the Step Functions endpoint, and real worker processes standing
// in for the fake's ECS tasks (the fake's tasks are only records).

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "loveless/aws/credentials.hpp"
#include "loveless/aws/json_client.hpp"
#include "loveless/aws/service_client.hpp"
#include "loveless/aws_api/call_guard.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"
#include "loveless/stacks/aws/aws_fleet.hpp"

#include "fake_aws/fake_aws_control_plane.hpp"
#include <sys/types.h>

namespace loveless::testing {

/// The IAM role the fake FIS experiments run as.
inline constexpr const char* kFisRole = "arn:aws:iam::123456789012:role/loveless-fis";

/// Until `condition` holds (true) or `limit` passes (false), every 10 ms.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(10));

/// A signed client of `service` pointed at the fake only (the environment
/// is never read for the endpoint), one attempt per call.
aws::ServiceClient client_of(const FakeAwsControlPlane& fake, const aws::ServiceEndpoint& service);

/// The pools' shared context against `fake`: the guard allows `allowed`,
/// ECS is listed every 20 ms, Lambda updates polled every 10 ms, and FIS
/// experiments are made with the role `fis_role` (no FIS when empty).
stacks::aws::AwsFleetContext fake_fleet_context(const FakeAwsControlPlane& fake,
                                                std::vector<std::string> allowed,
                                                const std::string& fis_role = {});

/// Our Step Functions engine in process on 127.0.0.1 (an ephemeral port),
/// with short activity long polls.
class EngineUnderTest {
 public:
  EngineUnderTest();
  ~EngineUnderTest();
  EngineUnderTest(const EngineUnderTest&) = delete;
  EngineUnderTest& operator=(const EngineUnderTest&) = delete;

  [[nodiscard]] std::string url() const { return server_.url(); }
  /// A client signed with `credentials`, as the aws stack signs.
  [[nodiscard]] aws::JsonClient client(const aws::Credentials& credentials) const;

 private:
  engine::StepFunctionsService service_;
  engine::HttpServer server_;
};

/// One local worker process (runner-test-worker echo) per RUNNING task of
/// one ECS service of the fake, named after the task id (the last part of the
/// task ARN, as the worker SDK's workerName on ECS); a task the fake stops
/// (StopTask) has its process killed (SIGKILL), as ECS ends a stopped task's
/// container. Follows the fake every 20 ms on a thread until `stop`.
class TaskProcesses {
 public:
  struct Process {
    std::string task_arn;
    std::string task_id;
    pid_t pid = -1;
    /// Killed because its task stopped (not at the end of the test).
    bool killed_for_stop = false;
    bool reaped = false;
  };

  TaskProcesses(const FakeAwsControlPlane& fake, std::string cluster, std::string service,
                std::string engine_url, std::string activity_arn, std::filesystem::path scratch);
  ~TaskProcesses();
  TaskProcesses(const TaskProcesses&) = delete;
  TaskProcesses& operator=(const TaskProcesses&) = delete;

  /// Stops following, kills every process still running and reaps all. Idempotent.
  void stop();
  [[nodiscard]] std::vector<Process> processes() const;
  /// Task ids whose process runs now.
  [[nodiscard]] std::set<std::string> live_task_ids() const;
  /// Every task id a process was started for.
  [[nodiscard]] std::set<std::string> started_task_ids() const;

 private:
  void follow();
  void sync();
  void spawn(const std::string& task_arn);

  const FakeAwsControlPlane& fake_;
  std::string cluster_;
  std::string service_;
  std::string engine_url_;
  std::string activity_arn_;
  std::filesystem::path scratch_;
  mutable std::mutex mutex_;
  std::map<std::string, Process> by_arn_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread follower_;
};

/// True when no process has the id `pid` (it ended and was reaped).
bool process_gone(pid_t pid);

}  // namespace loveless::testing
