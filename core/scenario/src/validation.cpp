#include <algorithm>
#include <map>
#include <set>

#include "loveless/asl/definition_substitutions.hpp"
#include "loveless/injectors/fault_types.hpp"
#include "loveless/scenario/detail/resolved_scenario.hpp"
#include "loveless/scenario/runner.hpp"

#include "workflow_order.hpp"

namespace loveless::scenario {
namespace {

using injectors::InjectorSpec;
using injectors::TargetKind;
using injectors::TriggerKind;
using stacks::Primitive;

/// A trigger that sees a task, and so has a task's worker to hit.
bool is_task_trigger(const injectors::TriggerSpec& trigger) {
  return trigger.kind == TriggerKind::kTaskStarted || trigger.kind == TriggerKind::kTaskEnded;
}

std::string nearest_alternative(Primitive missing) {
  switch (missing) {
    case Primitive::kPause:
    case Primitive::kResume:
      return "latency(...) or kill()";
    case Primitive::kRestart:
      return "kill() (the pool replaces the worker)";
    case Primitive::kStop:
      return "kill()";
    case Primitive::kKill:
      return "stop()";
    case Primitive::kWipeScratch:
      return "kill() (a replacement starts with empty scratch)";
    case Primitive::kLatency:
      return "pause(duration) (the worker's calls stop for that long)";
  }
  return "kill()";
}

class Validator {
 public:
  Validator(const ScenarioSpec& spec, const ScenarioStack& stack,
            const detail::ResolvedScenario& resolved)
      : spec_(spec), stack_(stack), resolved_(resolved) {
    for (const auto& pool : spec.pools) pools_[pool.name] = &pool;
    for (const auto& workflow : resolved.workflows) {
      states_.insert(workflow.state_names.begin(), workflow.state_names.end());
    }
  }

  std::vector<std::string> run() {
    problems_ = spec_.declaration_errors;
    problems_.insert(problems_.end(), resolved_.problems.begin(), resolved_.problems.end());
    check_pools();
    auto binding_problems = stack_.check_bindings(spec_);
    problems_.insert(problems_.end(), binding_problems.begin(), binding_problems.end());
    check_workflows();
    check_workflow_cycles();
    check_workload();
    check_read_only_directories();
    for (std::size_t i = 0; i < spec_.injectors.size(); ++i) check_injector(i);
    if (spec_.checks.empty()) {
      problems_.emplace_back(
          "the scenario has no check, so it cannot fail: add s.check(all_executions_succeed())");
    }
    if (spec_.deadline.count() <= 0) problems_.emplace_back("the deadline must be positive");
    return std::move(problems_);
  }

 private:
  void check_pools() {
    std::set<std::string> seen;
    for (const auto& pool : spec_.pools) {
      if (pool.name.empty()) problems_.emplace_back("a pool needs a name");
      if (!seen.insert(pool.name).second) {
        problems_.push_back("pool " + pool.name + " is declared twice");
      }
      if (!pool.function && pool.replicas < 1) {
        problems_.push_back("pool " + pool.name + ": replicas must be at least 1");
      }
      if (pool.function && pool.concurrency < 1) {
        problems_.push_back("pool " + pool.name + ": concurrency must be at least 1");
      }
      if (pool.function && pool.timeout.count() <= 0) {
        problems_.push_back("pool " + pool.name + ": the function timeout must be positive");
      }
    }
  }

  void check_workflows() {
    if (spec_.workflows.empty()) {
      problems_.emplace_back(
          "the scenario has no workflow: add s.workflow(\"name\", \"file.asl.json\")");
    }
    for (const auto& workflow : resolved_.workflows) {
      for (const auto& name : asl::placeholder_names(workflow.definition_template)) {
        if (!workflow.spec->substitutions.contains(name)) {
          problems_.push_back("workflow " + workflow.spec->name + ": placeholder ${" + name +
                              "} has no value (.bind(\"" + name +
                              "\", activity_arn(\"pool\")), function_arn(\"pool\") or "
                              "state_machine_arn(\"workflow\"))");
        }
      }
      for (const auto& [name, resource] : workflow.spec->substitutions) {
        if (resource.kind == ResourceRef::Kind::kStateMachine) {
          check_workflow_reference(workflow, name, resource.name);
          continue;
        }
        const auto pool = pools_.find(resource.name);
        const bool wants_function = resource.kind == ResourceRef::Kind::kFunction;
        if (pool == pools_.end() || pool->second->function != wants_function) {
          problems_.push_back("workflow " + workflow.spec->name + ": ${" + name + "} names " +
                              (wants_function ? "function pool " : "activity pool ") +
                              resource.name + ", which the scenario does not declare");
        }
      }
    }
  }

  void check_workflow_reference(const detail::ResolvedWorkflow& workflow,
                                const std::string& placeholder, const std::string& target) {
    const bool declared = std::any_of(
        resolved_.workflows.begin(), resolved_.workflows.end(),
        [&](const detail::ResolvedWorkflow& other) { return other.spec->name == target; });
    if (!declared) {
      problems_.push_back(
          "workflow " + workflow.spec->name + ": ${" + placeholder + "} names workflow " + target +
          ", which the scenario does not declare (s.workflow(\"" + target + "\", ...))");
    }
  }

  void check_workflow_cycles() {
    const auto order = detail::deployment_order(resolved_.workflows);
    if (!order.cycle.empty()) {
      problems_.push_back("workflows " + order.cycle +
                          " start each other's state machines in a cycle (state_machine_arn): "
                          "none can be deployed first; start a workflow's own state machine "
                          "with $$.StateMachine.Id instead");
    }
  }

  void check_workload() {
    if (!spec_.workload) {
      problems_.emplace_back("the scenario starts no execution: add s.executions(workflow)");
      return;
    }
    const auto& workload = *spec_.workload;
    const bool known = std::any_of(spec_.workflows.begin(), spec_.workflows.end(),
                                   [&](const auto& w) { return w.name == workload.workflow; });
    if (!known) problems_.push_back("executions of unknown workflow " + workload.workflow);
    if (workload.count < 1) problems_.emplace_back("executions: count must be at least 1");
    if (workload.concurrency < 1)
      problems_.emplace_back("executions: concurrency must be at least 1");
    if (workload.rate < 0) problems_.emplace_back("executions: rate must not be negative");
    const auto input_dir = resolved_.input_dir.string();
    if (stack_.runs_images() && (input_dir == "/tmp" || input_dir.starts_with("/tmp/"))) {
      problems_.push_back("inputs_from_dir: " + input_dir +
                          " is under /tmp, which is each container's scratch on the " +
                          std::string(stack_.name()) +
                          " stack; keep the inputs in a directory outside /tmp");
    }
    if (resolved_.inputs.empty() && resolved_.problems.empty()) {
      problems_.emplace_back(
          "executions: no input (.input(json), .inputs({...}) or .inputs_from_dir(dir))");
    }
  }

  void check_read_only_directories() {
    for (const auto& data : spec_.read_only_directories) {
      const auto& path = data.host_path;
      const auto where =
          "s.read_only_directory(\"" + path.string() + "\", \"" + data.environment_variable + "\")";
      if (data.environment_variable.empty()) {
        problems_.push_back(where + ": name the environment variable that tells workers its path");
      }
      std::error_code error;
      if (!path.is_absolute()) {
        problems_.push_back(where + ": give the host directory's absolute path");
      } else if (!std::filesystem::exists(path, error)) {
        problems_.push_back(where + ": " + path.string() +
                            " does not exist on this host; create it or give the directory the "
                            "workers read (a lookup table, reference files)");
      } else if (!std::filesystem::is_directory(path, error)) {
        problems_.push_back(where + ": " + path.string() +
                            " is not a directory; give the directory that holds it");
      } else if (path.lexically_normal() == "/" || path.lexically_normal() == "/tmp" ||
                 path.lexically_normal() == "/tmp/") {
        problems_.push_back(where + ": give a directory of its own, not " + path.string());
      }
    }
    // Containers see the data at /loveless/data/<n>, inside a durable
    // directory named data at /loveless/data.
    const bool data_taken = std::any_of(spec_.directories.begin(), spec_.directories.end(),
                                        [](const auto& d) { return d.name == "data"; });
    if (stack_.runs_images() && data_taken && !spec_.read_only_directories.empty()) {
      problems_.emplace_back(
          "durable_directory(\"data\", ...): containers see read-only directories at "
          "/loveless/data/<n>; give the durable directory another name");
    }
  }

  // The pools an injector may hit: its target's pool, else the pool its task
  // trigger names, else every pool.
  std::vector<const PoolDeclaration*> reachable_pools(const InjectorSpec& injector) const {
    std::string only = injector.target.pool;
    if (only.empty() && pools_.contains(injector.trigger.match)) only = injector.trigger.match;
    std::vector<const PoolDeclaration*> reachable;
    for (const auto& pool : spec_.pools) {
      if (only.empty() || pool.name == only) reachable.push_back(&pool);
    }
    return reachable;
  }

  void check_injector(std::size_t index) {
    const auto& injector = spec_.injectors[index];
    const auto where =
        "injector " + std::to_string(index + 1) + " (" + injectors::describe(injector) + ")";
    check_target(injector, where);
    check_trigger(injector, where);
    for (const auto& problem : injectors::fault_definition(injector.fault).validate(injector)) {
      problems_.push_back(where + ": " + problem);
    }
    check_primitives(injector, where);
  }

  void check_trigger(const InjectorSpec& injector, const std::string& where) {
    const auto& trigger = injector.trigger;
    const bool task_trigger = is_task_trigger(trigger);
    if (task_trigger && !trigger.match.empty() && !pools_.contains(trigger.match) &&
        !states_.contains(trigger.match)) {
      problems_.push_back(where + ": " + trigger.match + " is neither a pool nor a state");
    }
    if (trigger.kind == TriggerKind::kStateEntered && !states_.contains(trigger.match)) {
      problems_.push_back(where + ": no state named " + trigger.match + " in the workflows");
    }
    if (trigger.kind == TriggerKind::kEvery &&
        (trigger.interval.count() <= 0 || trigger.jitter >= trigger.interval)) {
      problems_.push_back(where + ": every(interval, jitter) needs 0 <= jitter < interval");
    }
    if (trigger.probability < 0 || trigger.probability > 1) {
      problems_.push_back(where + ": the probability must be within [0, 1]");
    }
    if (trigger.max_firings < 0) problems_.push_back(where + ": at_most must not be negative");
    if (trigger.delay.count() < 0) problems_.push_back(where + ": after() must not be negative");
  }

  void check_target(const InjectorSpec& injector, const std::string& where) {
    const auto& target = injector.target;
    const bool task_trigger = is_task_trigger(injector.trigger);
    if (target.kind == TargetKind::kTaskWorker && !task_trigger) {
      problems_.push_back(where +
                          ": only a task trigger (on_task_started, on_task_ended) has a "
                          "task's worker to hit; choose a target (.random_worker(), "
                          ".pool(\"name\"), .all_workers())");
    }
    if (!target.pool.empty() && !pools_.contains(target.pool)) {
      problems_.push_back(where + ": no pool named " + target.pool);
    }
    if (target.kind == TargetKind::kRandomWorkers && target.count < 1) {
      problems_.push_back(where + ": random_workers needs a count of at least 1");
    }
    if (target.kind == TargetKind::kPercentWorkers &&
        (target.percent <= 0 || target.percent > 100)) {
      problems_.push_back(where + ": percent_of_workers needs a percentage in (0, 100]");
    }
  }

  // Every primitive the fault takes, on every pool the injector can reach.
  void check_primitives(const InjectorSpec& injector, const std::string& where) {
    for (const auto* pool : reachable_pools(injector)) {
      const auto kind = pool->function ? stacks::PoolKind::kFunction : stacks::PoolKind::kActivity;
      const auto supported = stack_.capabilities(kind);
      for (const auto primitive : injectors::fault_definition(injector.fault).primitives) {
        // A pause the stack cannot perform is one problem, not two.
        if (primitive == Primitive::kResume && !supported.contains(Primitive::kPause)) continue;
        if (!supported.contains(primitive)) {
          problems_.push_back(where + ": " + std::string(stacks::to_string(primitive)) +
                              " is not supported on " + (pool->function ? "function" : "activity") +
                              " pool " + pool->name + " on the " + std::string(stack_.name()) +
                              " stack; nearest alternative: " + alternative(kind, primitive));
        }
      }
    }
  }

  [[nodiscard]] std::string alternative(stacks::PoolKind kind, Primitive missing) const {
    auto specific = stack_.alternative_to(kind, missing);
    return specific.empty() ? nearest_alternative(missing) : specific;
  }

  const ScenarioSpec& spec_;
  const ScenarioStack& stack_;
  const detail::ResolvedScenario& resolved_;
  std::map<std::string, const PoolDeclaration*> pools_;
  std::set<std::string> states_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> validate(const ScenarioSpec& spec, const ScenarioStack& stack,
                                  const RunOptions& options) {
  const auto resolved = detail::resolve(spec, options.binary_dir, detail::command_use(stack));
  return Validator(spec, stack, resolved).run();
}

}  // namespace loveless::scenario
