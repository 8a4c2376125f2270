#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/aws/sigv4.hpp"

/// A FAKE of the AWS control plane for tests: one loopback HTTP endpoint that
/// stands in for Amazon ECS, AWS Lambda, AWS FIS and Amazon CloudWatch. Real
/// AWS cannot be reached from these machines; this checks what can be
/// checked here: each request's SigV4 signature (`aws::verify_signature`
/// with the fake's key pair and the signing name of the API it addressed),
/// its route or X-Amz-Target, and its shape (required fields and types per
/// the AWS API references), and it answers in each service's error format.
/// Behind it is an in-memory model that behaves as AWS documents:
/// - ECS (awsJson1_1, `AmazonEC2ContainerServiceV20141113.*`): ListTasks,
///   DescribeTasks, DescribeServices, StopTask; a stopped task's service
///   starts a replacement (PENDING, RUNNING after `replacement_delay`).
/// - Lambda (restJson1, `/2015-03-31/functions/{name}/configuration`):
///   GetFunctionConfiguration, UpdateFunctionConfiguration; an update is
///   InProgress for `lambda_update_time`, then Successful; RevisionId changes
///   with every update; an update during InProgress is answered 409.
/// - FIS (restJson1): CreateExperimentTemplate, DeleteExperimentTemplate,
///   StartExperiment, GetExperiment, StopExperiment; experiments go
///   initiating -> running -> completed after the template's longest action
///   duration (times `experiment_time_scale`), or stopping -> stopped, or
///   stopped when a stop-condition alarm is in ALARM.
/// - CloudWatch (awsJson1_0, `GraniteServiceVersion20100801.DescribeAlarms`).
/// Anything else is answered 400 UnknownOperationException.
///
/// Thread-safety: every member may be called from any thread while the
/// server answers requests. Listens on 127.0.0.1 on a free port until destroyed.
namespace loveless::testing {

struct FakeAwsOptions {
  std::string access_key_id = "AKIDLOVELESSFAKE0001";
  std::string secret_access_key = "loveless/fake/secret/key/0001";
  /// Used in ARNs; requests may be signed for any region.
  std::string region = "us-east-1";
  std::string account = "123456789012";
  /// From StopTask to the replacement task being RUNNING.
  std::chrono::milliseconds replacement_delay{100};
  /// How long an UpdateFunctionConfiguration stays InProgress.
  std::chrono::milliseconds lambda_update_time{100};
  /// How long an experiment stays initiating, and stopping.
  std::chrono::milliseconds experiment_transition_time{50};
  /// Real time per unit of an FIS action duration (0.001: PT1M lasts 60 ms).
  double experiment_time_scale = 1.0;
  /// Items per page of ListTasks and DescribeAlarms (AWS: up to 100).
  int page_size = 100;
};

/// One request as the fake received it.
struct RecordedRequest {
  std::string service;    ///< "ecs", "lambda", "fis", "monitoring", or "unknown"
  std::string operation;  ///< "StopTask", "UpdateFunctionConfiguration", ... or the raw target
  std::string method;
  std::string path;        ///< as on the wire
  nlohmann::json body;     ///< parsed JSON body; null when empty or not JSON
  int status = 0;          ///< the HTTP status answered
  std::string error_type;  ///< the AWS error answered, empty on success
};

class FakeAwsControlPlane {
 public:
  explicit FakeAwsControlPlane(FakeAwsOptions options = {});
  ~FakeAwsControlPlane();
  FakeAwsControlPlane(const FakeAwsControlPlane&) = delete;
  FakeAwsControlPlane& operator=(const FakeAwsControlPlane&) = delete;

  /// `http://127.0.0.1:<port>`: the endpoint override for every client.
  [[nodiscard]] std::string endpoint() const;
  /// The key pair the fake accepts.
  [[nodiscard]] aws::Credentials credentials() const;
  [[nodiscard]] const FakeAwsOptions& options() const { return options_; }

  // Seeding.
  /// An ACTIVE service with `running_tasks` RUNNING tasks (its desired
  /// count); creates the cluster. Returns the service ARN.
  std::string add_ecs_service(const std::string& cluster, const std::string& service,
                              int running_tasks);
  /// An Active function with these environment variables. Returns its ARN.
  std::string add_lambda_function(const std::string& name,
                                  const std::map<std::string, std::string>& env);
  /// The next update of `name` ends Failed with `reason`.
  void fail_next_lambda_update(const std::string& name, const std::string& reason);
  /// Creates the metric alarm if needed. `state`: OK, ALARM, INSUFFICIENT_DATA.
  /// Returns its ARN.
  std::string set_alarm_state(const std::string& name, const std::string& state);

  // Inspection (the model as it is now).
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  [[nodiscard]] std::vector<RecordedRequest> requests_for(std::string_view operation) const;
  void clear_requests();
  /// RUNNING task ARNs of a service.
  [[nodiscard]] std::vector<std::string> running_tasks(const std::string& cluster,
                                                       const std::string& service) const;
  [[nodiscard]] std::map<std::string, std::string> lambda_environment(
      const std::string& name) const;
  /// How many configuration updates of `name` succeeded: each one moved
  /// later invocations to new execution environments.
  [[nodiscard]] int lambda_environment_generations(const std::string& name) const;
  /// Status of an experiment; empty when unknown.
  [[nodiscard]] std::string experiment_status(const std::string& id) const;
  [[nodiscard]] std::size_t experiment_template_count() const;

  struct State;  ///< the model (fake_state.hpp)

 private:
  FakeAwsOptions options_;
  std::unique_ptr<State> state_;
  struct Server;
  std::unique_ptr<Server> server_;
};

}  // namespace loveless::testing
