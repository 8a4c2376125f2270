#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "loveless/engine/service.hpp"
#include "loveless/stacks/fleet.hpp"

namespace loveless::cli {

/// One `--function NAME=COMMAND`: the function name and the argv of its
/// environments (COMMAND split on spaces).
struct FunctionOption {
  std::string name;
  std::vector<std::string> command;
};

/// Parses `NAME=COMMAND`. Throws UsageError for a missing `=`, an invalid
/// function name (1..64 of letters, digits, `-`, `_`) or an empty command.
FunctionOption parse_function_option(const std::string& value);

/// Lambda functions of `loveless serve`, hosted on a process fleet: each
/// environment is a child process started with AWS_LAMBDA_RUNTIME_API,
/// AWS_LAMBDA_FUNCTION_NAME, LOVELESS_WORKER_NAME=<name>-<n> and its own
/// TMPDIR under a run directory in the system temp directory. A process that
/// ends is reported to the engine (`environment_exited`); a timed-out one is
/// killed (SIGKILL to its process group).
///
/// Ownership: `shutdown` (also the destructor) kills every environment and
/// removes the run directory. Thread-safety: set-up (`add`) on one thread;
/// the fleet's callbacks may run on any.
class LocalFunctions {
 public:
  /// `sfn_endpoint` is the engine's URL (the environments' AWS_ENDPOINT_URL_SFN).
  LocalFunctions(engine::StepFunctionsService& service, std::string sfn_endpoint);
  ~LocalFunctions();
  LocalFunctions(const LocalFunctions&) = delete;
  LocalFunctions& operator=(const LocalFunctions&) = delete;

  /// Creates the function's pool and registers the function with the engine.
  void add(const FunctionOption& function, std::chrono::milliseconds timeout, int max_concurrency);
  /// Kills every environment and waits for them; removes the run directory. Idempotent.
  void shutdown();

 private:
  void kill(const std::string& environment_id);

  engine::StepFunctionsService& service_;
  std::string sfn_endpoint_;
  std::filesystem::path run_dir_;
  std::unique_ptr<stacks::Fleet> fleet_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<stacks::Worker>> environments_;
};

}  // namespace loveless::cli
