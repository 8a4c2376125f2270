#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "loveless/aws/credentials.hpp"
#include "loveless/scenario/runner.hpp"
#include "loveless/scenario/scenario.hpp"
#include "loveless/scenario/scenario_stack.hpp"

namespace loveless::scenario {

/// Service endpoints of the aws stack; empty: the AWS SDKs' resolution
/// (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, then
/// https://<service>.<region>.amazonaws.com). Tests point them at loopback.
struct AwsEndpoints {
  std::string states;
  std::string ecs;
  std::string lambda;
  std::string fis;
  std::string cloudwatch;
};

/// How to bring up the aws stack (docs/aws.md).
struct AwsStackOptions {
  /// Names the run in StopTask reasons, FIS tags and deployed state machines;
  /// empty: one is made from the time.
  std::string run_id;
  /// Run files (logs) live in runs_root/run_id; empty:
  /// `stacks::default_runs_root()` (`$TMPDIR/loveless-runs-<uid>`).
  std::filesystem::path runs_root;
  /// Run directories kept in runs_root, this run's included; nullopt:
  /// `stacks::kept_runs_from_environment()` (`LOVELESS_KEEP_RUNS`, else 20).
  std::optional<std::size_t> kept_runs;
  /// Empty: --aws-region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region,
  /// then the region of the bindings' ARNs.
  std::string region;
  /// The shared-config profile (empty: AWS_PROFILE, else `default`).
  std::string profile;
  /// Null: the default credential chain (docs/aws-client.md).
  std::shared_ptr<aws::CredentialsProvider> credentials;
  AwsEndpoints endpoints;
  /// Where the guard logs each mutating call and the clean-up its undoing.
  std::ostream* log = nullptr;
  /// How often an ECS pool lists its tasks; how often execution histories are read.
  std::chrono::milliseconds ecs_poll_interval{5'000};
  std::chrono::milliseconds history_poll_interval{1'000};
  /// How long clean-up waits for each ECS service to be steady again.
  std::chrono::milliseconds steady_state_timeout{std::chrono::minutes(3)};
};

/// The aws stack for one scenario: its bindings (`spec.aws`) name the ECS
/// services, Lambda functions and state machines it runs on, and nothing
/// else may be changed (docs/aws.md "Guard rails"). `up` throws
/// `StackUnavailable` without credentials, without a region, or when AWS
/// refuses a bound resource; `down` undoes what the run changed.
std::unique_ptr<ScenarioStack> make_aws_scenario_stack(const ScenarioSpec& spec,
                                                       AwsStackOptions options);

/// `--dry-run`: validates `spec` for the aws stack and prints, through the
/// guard's dry run, every mutating call a run would make, in order (deploy,
/// executions per phase, each injector's calls with its trigger, heal,
/// clean-up), making no call at all — no credentials needed. Returns the
/// validation problems (empty: the plan was printed).
std::vector<std::string> print_aws_dry_run(const ScenarioSpec& spec, const RunOptions& run,
                                           const AwsStackOptions& options, std::ostream& out);

}  // namespace loveless::scenario
