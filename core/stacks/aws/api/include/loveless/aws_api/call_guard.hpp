#pragma once

#include <mutex>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

/// The guard rails every mutating AWS call of the AWS stack goes through
/// (DESIGN.md "The AWS stack"): an allow-list of the resources a run may
/// touch, and a dry run that prints each mutating call instead of making it.
namespace loveless::aws_api {

/// A mutating call named a resource outside the scenario's AWS bindings.
/// Raised before anything is sent; the message names the resource and says
/// how to allow it.
class ResourceNotAllowed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One mutating AWS API call, as the guard sees it.
struct MutatingCall {
  std::string service;    ///< the signing name: "ecs", "lambda", "fis"
  std::string operation;  ///< the API operation: "StopTask", "UpdateFunctionConfiguration"
  /// The bound resource's ARN that authorises the call: the ECS service ARN
  /// for a StopTask of one of its tasks, the function ARN for a Lambda update,
  /// the ARN of the resource an FIS experiment targets.
  std::string bound_resource;
  /// The exact resource changed: a task ARN, a function name, a template id.
  std::string target;
  /// The request body as it will be sent (`{}` for a body-less call).
  nlohmann::json request;
};

/// Decides, logs and records mutating calls.
///
/// Thread-safety: every member may be called from any number of threads; log
/// lines are written whole, one call at a time.
/// Ownership: `log` (may be null: no log) must outlive the guard.
class AwsCallGuard {
 public:
  /// `allowed`: the ARNs named in the scenario's AWS bindings (ECS service
  /// ARNs, Lambda function ARNs). `dry_run`: print instead of calling.
  AwsCallGuard(std::vector<std::string> allowed, bool dry_run, std::ostream* log);

  /// Throws `ResourceNotAllowed` when `call.bound_resource` is not in the
  /// allow-list. In a dry run, writes one line
  /// `DRY-RUN <service>:<operation> <target> <request as compact JSON, keys sorted>`
  /// and returns false: the caller must not make the call. Otherwise writes
  /// `AWS <service>:<operation> <target> <request>` and returns true. Either
  /// way the call is recorded in `calls()`.
  bool permit(const MutatingCall& call);

  /// Whether `arn` is in the allow-list.
  [[nodiscard]] bool allows(const std::string& arn) const;
  [[nodiscard]] bool dry_run() const noexcept { return dry_run_; }
  /// Every call `permit` let through (printed, in a dry run), in order.
  [[nodiscard]] std::vector<MutatingCall> calls() const;

 private:
  std::set<std::string> allowed_;
  bool dry_run_;
  std::ostream* log_;
  mutable std::mutex mutex_;
  std::vector<MutatingCall> calls_;
};

/// The line `permit` writes for `call`, without the trailing newline:
/// `<prefix> <service>:<operation> <target> <compact request JSON>`.
[[nodiscard]] std::string describe_call(const std::string& prefix, const MutatingCall& call);

}  // namespace loveless::aws_api
