#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "loveless/aws/service_client.hpp"
#include "loveless/aws_api/call_guard.hpp"

/// The AWS FIS calls of the AWS stack (restJson1, signing name `fis`),
/// following the AWS FIS API Reference (docs.aws.amazon.com/fis/latest/APIReference/).
namespace loveless::aws_api {

/// An experiment and its state (`experiment.state` of GetExperiment).
struct FisExperiment {
  std::string id;
  std::string template_id;
  /// pending, initiating, running, completed, stopping, stopped, failed
  /// (and cancelled); completed, stopped, failed and cancelled are final.
  std::string status;
  std::string reason;
};

/// Typed FIS calls over one `ServiceClient` (built with `aws::kFis`).
///
/// Errors: `aws::AwsError` with FIS's `x-amzn-ErrorType`: ValidationException
/// (400), ResourceNotFoundException (404), ConflictException (409),
/// ServiceQuotaExceededException (402); waits throw `AwsWaitTimeout`; the
/// guard throws `ResourceNotAllowed`.
///
/// Thread-safety: every member may be called from any thread; calls go out
/// one at a time over the one client.
class FisApi {
 public:
  /// What `create_experiment_template` and `start_experiment` return in a
  /// dry run, so that the calls after them print too.
  static constexpr const char* kDryRunTemplateId = "<dry-run-template>";
  static constexpr const char* kDryRunExperimentId = "<dry-run-experiment>";

  explicit FisApi(aws::ServiceClient client);

  /// POST /experimentTemplates with `template_json` (from fis_templates.hpp)
  /// plus a `clientToken`: the first 32 hex digits of the SHA-256 of the
  /// template, so a retried request is the same request and FIS creates the
  /// template once. `bound` is the ARN of the resource the template targets.
  /// Returns the template id. (CreateExperimentTemplate.)
  std::string create_experiment_template(const nlohmann::json& template_json, AwsCallGuard& guard,
                                         const std::string& bound);

  /// POST /experiments `{clientToken, experimentTemplateId}`. Returns the
  /// experiment id. (StartExperiment.)
  std::string start_experiment(const std::string& template_id, AwsCallGuard& guard,
                               const std::string& bound);

  /// GET /experiments/{id}. (GetExperiment.)
  FisExperiment get_experiment(const std::string& id);

  /// DELETE /experiments/{id}: the experiment goes stopping, then stopped.
  /// (StopExperiment.)
  void stop_experiment(const std::string& id, AwsCallGuard& guard, const std::string& bound);

  /// DELETE /experimentTemplates/{id}. (DeleteExperimentTemplate.)
  void delete_experiment_template(const std::string& id, AwsCallGuard& guard,
                                  const std::string& bound);

  /// Polls GetExperiment until its status is one of `statuses`; returns it.
  /// Throws `AwsWaitTimeout` after `timeout`.
  FisExperiment wait_for_status(const std::string& id, const std::set<std::string>& statuses,
                                std::chrono::milliseconds timeout,
                                std::chrono::milliseconds poll_interval);

 private:
  nlohmann::json call(const std::string& method, const std::string& path,
                      const std::optional<nlohmann::json>& body);

  std::atomic<int> starts_{0};
  std::mutex mutex_;
  aws::ServiceClient client_;
};

/// An `experiment` object of the API as a `FisExperiment`.
[[nodiscard]] FisExperiment fis_experiment_from_json(const nlohmann::json& experiment);

}  // namespace loveless::aws_api
