#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"
#include "loveless/history/run_observer.hpp"
#include "loveless/injectors/injector.hpp"
#include "loveless/scenario/aws_bindings.hpp"

namespace loveless::scenario {

// The scenario API and the runner speak in the history's types
// (loveless/history/history.hpp); these names keep `scenario::Phase`,
// `scenario::History` and the rest valid in scenario files and code written
// before the history became its own module.
using history::ExecutionClosed;
using history::ExecutionRecord;
using history::FaultKind;
using history::FaultRecord;
using history::History;
using history::Phase;
using history::PhaseWindow;
using history::RunObserver;
using history::ScratchAccess;
using history::ScratchOperation;
using history::TaskAttemptEnded;
using history::TaskOutcome;
using history::TaskRecord;
using history::TimePoint;
using history::WorkerEvent;

/// A placeholder value in a workflow template: the ARN of a pool's activity
/// or function, or of another workflow's state machine, resolved on the stack
/// the scenario runs on.
struct ResourceRef {
  enum class Kind { kActivity, kFunction, kStateMachine };
  Kind kind = Kind::kActivity;
  std::string name;
};
/// `${CountWordsActivityArn}` -> `activity_arn("count-words")`.
inline ResourceRef activity_arn(std::string pool) {
  return {ResourceRef::Kind::kActivity, std::move(pool)};
}
/// `${MergeFunctionArn}` -> `function_arn("merge")`.
inline ResourceRef function_arn(std::string pool) {
  return {ResourceRef::Kind::kFunction, std::move(pool)};
}
/// `${ChildStateMachineArn}` -> `state_machine_arn("child")`: the state
/// machine of the scenario's workflow `child`, for a parent that starts it
/// (`arn:aws:states:::states:startExecution[.sync]`). The child is deployed
/// first; workflows may not reference each other in a cycle.
inline ResourceRef state_machine_arn(std::string workflow) {
  return {ResourceRef::Kind::kStateMachine, std::move(workflow)};
}

/// A workflow: an ASL definition and the values of its `${Name}` placeholders
/// (as AWS SAM's DefinitionSubstitutions writes them).
struct WorkflowSpec {
  std::string name;
  /// The definition file; a relative path is resolved against the directory
  /// of the scenario's source file, then the working directory.
  std::filesystem::path file;
  /// The definition text itself (instead of `file`).
  std::string definition;
  std::map<std::string, ResourceRef> substitutions;
};

/// The builder `s.workflow(...)` returns.
class WorkflowBuilder {
 public:
  explicit WorkflowBuilder(WorkflowSpec& spec) : spec_(&spec) {}
  /// Replaces `${placeholder}` with the resource's ARN at deploy time.
  WorkflowBuilder& bind(const std::string& placeholder, ResourceRef resource);
  [[nodiscard]] const std::string& name() const { return spec_->name; }

 private:
  WorkflowSpec* spec_;
};

/// A pool of disposable workers: an activity's workers or a Lambda function's
/// execution environments.
struct PoolDeclaration {
  std::string name;
  bool function = false;
  /// argv of a worker process. A bare argv[0] (`demo-worker`) is looked up
  /// next to the suite executable, then on PATH.
  std::vector<std::string> command;
  /// The container image on the docker stack, which runs
  /// `image_entrypoint argv[1..]` in it.
  std::string image;
  /// The binary inside the image; empty: `/<file name of argv[0]>`.
  std::string image_entrypoint;
  int replicas = 1;
  std::chrono::milliseconds replacement_delay{0};
  std::map<std::string, std::string> environment;
  /// Functions: the function timeout and the most environments at once.
  std::chrono::milliseconds timeout{30'000};
  int concurrency = 10;
};

/// The builder `s.activity_pool(...)` / `s.function_pool(...)` returns.
class PoolBuilder {
 public:
  explicit PoolBuilder(PoolDeclaration& pool) : pool_(&pool) {}
  /// The worker's command line, split at spaces (`demo-worker count-words`).
  PoolBuilder& command(const std::string& command_line);
  PoolBuilder& command(std::vector<std::string> argv);
  /// The image the docker stack runs instead of the command: `entrypoint`
  /// (default `/<file name of argv[0]>`) with the command's arguments.
  PoolBuilder& image(std::string image, std::string entrypoint = "");
  /// Activity pools: the desired number of workers.
  PoolBuilder& replicas(int count);
  /// How long a dead worker stays unreplaced (ECS replaces at once: default 0).
  PoolBuilder& replacement_delay(std::chrono::milliseconds delay);
  PoolBuilder& env(const std::string& name, std::string value);
  /// Function pools: the function timeout (AWS default 3 s; here 30 s).
  PoolBuilder& timeout(std::chrono::milliseconds timeout);
  /// Function pools: the most environments alive at once (reserved concurrency).
  PoolBuilder& concurrency(int environments);

 private:
  PoolDeclaration* pool_;
};

/// Maps an input file to an execution input.
using InputMapper = std::function<nlohmann::json(const std::filesystem::path& file)>;

/// What executions the runner starts, in each phase.
struct WorkloadSpec {
  std::string workflow;
  /// Executions per phase; inputs are reused in order when there are fewer.
  int count = 10;
  /// Executions running at once.
  int concurrency = 4;
  /// Starts per second (0: as fast as `concurrency` allows).
  double rate = 0;
  /// When set, the chaos phase keeps starting executions until this much time
  /// has passed (the control phase still runs `count`).
  std::optional<std::chrono::milliseconds> duration;
  std::vector<nlohmann::json> inputs;
  /// Inputs from the regular files of a directory, mapped by `mapper` (by
  /// default `{"document": <file name>, "source": <absolute path>}`). The
  /// directory is mounted read-only at the same path into containers.
  std::filesystem::path input_dir;
  InputMapper mapper;
};

/// The builder `s.executions(...)` returns.
class WorkloadBuilder {
 public:
  explicit WorkloadBuilder(WorkloadSpec& spec) : spec_(&spec) {}
  WorkloadBuilder& count(int executions);
  WorkloadBuilder& concurrency(int executions);
  WorkloadBuilder& rate(double per_second);
  WorkloadBuilder& duration(std::chrono::milliseconds chaos_duration);
  WorkloadBuilder& input(nlohmann::json input);
  WorkloadBuilder& inputs(std::vector<nlohmann::json> inputs);
  WorkloadBuilder& inputs_from_dir(std::filesystem::path dir, InputMapper mapper = {});

 private:
  WorkloadSpec* spec_;
};

/// A directory that outlives every worker (a stand-in for S3 or EFS): created
/// in the run directory, named to workers by an environment variable, and
/// mounted at the same path into containers.
struct DurableDirectory {
  std::string name;
  std::string environment_variable;
};

/// A host directory every worker reads but none may write (a lookup table,
/// reference files), named to workers by an environment variable: mounted
/// read-only at its host path on the process stack (enforced where workers
/// get a mount namespace, docs/stacks.md) and at `/loveless/data/<n>` in
/// containers, n counting these declarations from 0.
struct ReadOnlyDirectory {
  std::filesystem::path host_path;
  std::string environment_variable;
};

/// Everything a scenario declares. Filled by the scenario's body through
/// `Scenario`; read by the runner.
struct ScenarioSpec {
  std::string name;
  std::vector<std::string> tags;
  std::filesystem::path source_file;
  int source_line = 0;
  // Deques: the builders keep pointers to their element while more are added.
  std::deque<WorkflowSpec> workflows;
  std::deque<PoolDeclaration> pools;
  std::optional<WorkloadSpec> workload;
  std::vector<injectors::InjectorSpec> injectors;
  std::vector<checks::CheckPtr> checks;
  std::vector<DurableDirectory> directories;
  std::vector<ReadOnlyDirectory> read_only_directories;
  /// The whole run (both phases and the heal) must end within this.
  std::chrono::milliseconds deadline{std::chrono::minutes(10)};
  /// What the pools and workflows are on the aws stack (ignored elsewhere).
  AwsBindings aws;
  /// Mistakes found while the body ran (a second workload, an empty name);
  /// the runner reports them with the validation errors.
  std::vector<std::string> declaration_errors;
  /// `[!shouldfail]`: a check must fail for the scenario to pass.
  [[nodiscard]] bool should_fail() const;
};

/// The `s` of a scenario body: the scenario DSL (docs/scenarios.md). Every
/// call only records a declaration; the runner validates the whole scenario
/// before anything starts, and reports every mistake at once.
class Scenario {
 public:
  explicit Scenario(ScenarioSpec& spec) : spec_(&spec) {}

  /// A workflow from an ASL file (relative to the scenario file's directory).
  WorkflowBuilder workflow(const std::string& name, const std::filesystem::path& file);
  /// A workflow from ASL text.
  WorkflowBuilder workflow_text(const std::string& name, std::string definition);
  /// The workers of the activity `name` (the activity is created on the stack).
  PoolBuilder activity_pool(const std::string& name);
  /// The environments of the Lambda function `name`.
  PoolBuilder function_pool(const std::string& name);
  /// A durable directory given to every worker as `$environment_variable`.
  void durable_directory(const std::string& name, const std::string& environment_variable);
  /// The existing host directory `host_path` (absolute), given to every
  /// worker read-only as `$environment_variable` (see `ReadOnlyDirectory`).
  void read_only_directory(const std::filesystem::path& host_path,
                           const std::string& environment_variable);
  /// The executions to run (one workload per scenario).
  WorkloadBuilder executions(const WorkflowBuilder& workflow);
  void inject(const injectors::Injector& injector);
  void check(checks::CheckPtr check);
  /// The whole run's deadline (default 10 minutes).
  void deadline(std::chrono::milliseconds limit);
  /// The scenario's AWS bindings (docs/aws.md): the same scenario runs on the
  /// aws stack with these filled in; the local stacks ignore them.
  AwsBindingsBuilder aws();

 private:
  ScenarioSpec* spec_;
};

}  // namespace loveless::scenario
