// `--dry-run` on the aws stack: the plan of every mutating call, printed
// through the guard's dry run, with no call made (docs/aws.md "Dry run").

#include <ostream>

#include "loveless/aws_api/call_guard.hpp"
#include "loveless/aws_api/fis_templates.hpp"
#include "loveless/injectors/fault_types.hpp"
#include "loveless/scenario/detail/resolved_scenario.hpp"
#include "loveless/stacks/aws/arn.hpp"
#include "loveless/stacks/aws/aws_scenario_stack.hpp"
#include "loveless/stacks/aws/fis_experiments.hpp"

#include "aws_binding_checks.hpp"
#include "stop_conditions.hpp"

namespace loveless::scenario {
namespace {

using stacks::Primitive;

std::vector<std::string> allow_list(const AwsBindings& bindings) {
  const auto resources = bindings.resources();
  return {resources.begin(), resources.end()};
}

/// Writes the plan of one scenario: comments (`# ...`) say when, the guard's
/// `DRY-RUN` lines say what.
class DryRunPlan {
 public:
  DryRunPlan(const ScenarioSpec& spec, const RunOptions& run, const AwsStackOptions& options,
             std::ostream& out)
      : spec_(spec),
        run_(run),
        options_(options),
        out_(out),
        guard_(allow_list(spec.aws), true, &out) {}

  void print() {
    out_ << "# dry run of \"" << spec_.name << "\" on the aws stack, run " << options_.run_id
         << ": no AWS call is made\n";
    out_ << "# allow-list:";
    for (const auto& arn : spec_.aws.resources()) out_ << " " << arn;
    out_ << "\n";
    print_stop_conditions();
    const auto state_machine = print_deploy();
    print_executions(state_machine);
    for (std::size_t i = 0; i < spec_.injectors.size(); ++i) print_injector(i);
    print_clean_up();
  }

 private:
  void print_stop_conditions() {
    const auto& stop = spec_.aws.stop_conditions;
    for (const auto& alarm : stop.alarms) {
      out_ << "# stop condition: CloudWatch alarm " << detail::alarm_name(alarm)
           << " in ALARM (DescribeAlarms every " << stop.alarm_poll_interval.count() << " ms)\n";
    }
    if (stop.max_failure_rate) {
      out_ << "# stop condition: more than " << *stop.max_failure_rate * 100
           << "% of closed executions failed, once " << stop.failure_rate_min_executions
           << " have closed\n";
    }
  }

  std::string print_deploy() {
    std::string workload_machine;
    for (const auto& workflow : spec_.workflows) {
      std::string arn;
      if (const auto bound = spec_.aws.state_machines.find(workflow.name);
          bound != spec_.aws.state_machines.end()) {
        arn = bound->second;
        out_ << "# workflow " << workflow.name << ": state machine " << arn
             << " (bound; its definition is not changed)\n";
      } else {
        const auto name = detail::deployed_state_machine_name(workflow.name, options_.run_id);
        arn = "<" + name + ">";
        guard_.permit({"states",
                       "CreateStateMachine",
                       spec_.aws.execution_role_arn,
                       name,
                       {{"name", name},
                        {"roleArn", spec_.aws.execution_role_arn},
                        {"definition", "<" + workflow.name + ", placeholders resolved>"}}});
        deployed_.push_back(name);
      }
      if (spec_.workload && spec_.workload->workflow == workflow.name) workload_machine = arn;
    }
    return workload_machine;
  }

  void print_executions(const std::string& state_machine) {
    if (!spec_.workload) return;
    const auto count = run_.executions.value_or(spec_.workload->count);
    out_ << "# control phase: " << count << " executions, " << spec_.workload->concurrency
         << " at a time, no faults\n";
    guard_.permit({"states",
                   "StartExecution",
                   state_machine_bound(),
                   state_machine,
                   {{"phase", "control"}, {"executions", count}}});
    const auto duration = run_.duration ? run_.duration : spec_.workload->duration;
    out_ << "# chaos phase: "
         << (duration ? "executions for " + std::to_string(duration->count()) + " ms"
                      : std::to_string(count) + " executions")
         << ", " << spec_.injectors.size() << " injectors\n";
    nlohmann::json chaos = {{"phase", "chaos"}};
    if (duration) {
      chaos["duration_ms"] = duration->count();
    } else {
      chaos["executions"] = count;
    }
    guard_.permit({"states", "StartExecution", state_machine_bound(), state_machine, chaos});
  }

  /// StartExecution acts on the workload's state machine: bound, or made
  /// with the execution role.
  [[nodiscard]] std::string state_machine_bound() const {
    const auto bound = spec_.aws.state_machines.find(spec_.workload->workflow);
    return bound != spec_.aws.state_machines.end() ? bound->second : spec_.aws.execution_role_arn;
  }

  void print_injector(std::size_t index) {
    const auto& injector = spec_.injectors[index];
    out_ << "# injector " << index + 1 << " (" << injectors::describe(injector)
         << "), on each firing:\n";
    const auto serving = pools_serving_state(injector);
    for (const auto& pool : spec_.pools) {
      if (!reaches(injector, pool.name)) continue;
      if (!serving.empty() && !serving.contains(pool.name)) continue;
      const auto& binding = spec_.aws.pools.at(pool.name);
      for (const auto primitive : injectors::fault_definition(injector.fault).primitives) {
        print_primitive(primitive, binding, injector);
      }
    }
  }

  /// For a task's worker hit on a trigger naming a state: the pools whose
  /// resources that state's Task runs (its Resource, or a lambda:invoke's
  /// FunctionName, as `${Placeholder}`s bound to pools). Empty: no narrowing.
  [[nodiscard]] std::set<std::string> pools_serving_state(
      const injectors::InjectorSpec& injector) const {
    std::set<std::string> pools;
    if (injector.target.kind != injectors::TargetKind::kTaskWorker ||
        injector.trigger.match.empty() || spec_.aws.pools.contains(injector.trigger.match)) {
      return pools;
    }
    const auto resolved = detail::resolve(spec_, run_.binary_dir, detail::CommandUse::kBoundOnly);
    for (const auto& workflow : resolved.workflows) {
      const auto definition = nlohmann::json::parse(workflow.definition_template, nullptr, false);
      collect_pools(definition, injector.trigger.match, *workflow.spec, pools);
    }
    return pools;
  }

  static void collect_pools(const nlohmann::json& node, const std::string& state,
                            const WorkflowSpec& workflow, std::set<std::string>& pools) {
    if (!node.is_object() && !node.is_array()) return;
    if (node.is_object()) {
      if (const auto states = node.find("States"); states != node.end() && states->is_object()) {
        if (const auto found = states->find(state); found != states->end()) {
          std::string text = found->value("Resource", std::string());
          if (const auto parameters = found->find("Parameters");
              parameters != found->end() && parameters->is_object()) {
            text += " " + parameters->value("FunctionName", std::string());
          }
          for (const auto& [placeholder, resource] : workflow.substitutions) {
            if (text.find("${" + placeholder + "}") != std::string::npos) {
              pools.insert(resource.name);
            }
          }
        }
      }
    }
    for (const auto& child : node) collect_pools(child, state, workflow, pools);
  }

  /// As the runner: the target's pool, else the pool a task trigger names,
  /// else every pool.
  [[nodiscard]] bool reaches(const injectors::InjectorSpec& injector,
                             const std::string& pool) const {
    std::string only = injector.target.pool;
    if (only.empty() && spec_.aws.pools.contains(injector.trigger.match)) {
      only = injector.trigger.match;
    }
    return only.empty() || only == pool;
  }

  void print_primitive(Primitive primitive, const AwsPoolBinding& binding,
                       const injectors::InjectorSpec& injector) {
    const auto arn = stacks::aws::parse_arn(binding.arn);
    if (binding.kind == AwsPoolBinding::Kind::kEcsService) {
      const auto service = stacks::aws::ecs_service_name(*arn);
      const auto task = "<a running task of " + service->service + ", chosen at run time>";
      if (primitive == Primitive::kLatency) {
        print_fis(stacks::aws::FisExperiments::ecs_task_delay_template(
                      common(), service->cluster, service->service, "<that task's ARN>",
                      injector.latency, fis_duration()),
                  binding.arn, injector);
        return;
      }
      guard_.permit({"ecs",
                     "StopTask",
                     binding.arn,
                     task,
                     {{"cluster", service->cluster},
                      {"task", task},
                      {"reason", "loveless " + options_.run_id + ": " +
                                     std::string(stacks::to_string(primitive)) + " fault"}}});
      if (primitive == Primitive::kRestart) {
        out_ << "#   then waits for ECS service " << service->service
             << " to run a replacement task\n";
      }
      return;
    }
    if (primitive == Primitive::kLatency) {
      print_fis(stacks::aws::FisExperiments::lambda_delay_template(
                    common(), binding.arn, injector.latency, fis_duration()),
                binding.arn, injector);
      return;
    }
    const auto function = *stacks::aws::lambda_function_name(*arn);
    guard_.permit({"lambda",
                   "UpdateFunctionConfiguration",
                   binding.arn,
                   function,
                   {{"Environment",
                     {{"Variables",
                       {{"LOVELESS_RECYCLE", options_.run_id + "-<n>"},
                        {"<the function's other variables>", "<kept as they are>"}}}}}}});
    recycled_.insert(binding.arn);
  }

  void print_fis(const nlohmann::json& made, const std::string& bound,
                 const injectors::InjectorSpec& injector) {
    guard_.permit({"fis", "CreateExperimentTemplate", bound,
                   made.value("description", std::string("experiment template")), made});
    guard_.permit({"fis",
                   "StartExperiment",
                   bound,
                   "<the template just made>",
                   {{"experimentTemplateId", "<the template just made>"}}});
    out_ << "#   healed after " << injector.duration.count() << " ms:\n";
    guard_.permit({"fis", "StopExperiment", bound, "<that experiment>", nlohmann::json::object()});
    fis_bindings_.insert(bound);
  }

  [[nodiscard]] aws_api::FisTemplateCommon common() const {
    aws_api::FisTemplateCommon made;
    made.role_arn = spec_.aws.fis_role_arn;
    made.run_id = options_.run_id;
    if (!spec_.aws.stop_conditions.alarms.empty()) {
      made.stop_alarm_arn =
          "<the ARN of alarm " + detail::alarm_name(spec_.aws.stop_conditions.alarms.front()) + ">";
    }
    return made;
  }

  /// As the aws stack: FIS experiments last the scenario's deadline unless healed.
  [[nodiscard]] std::chrono::seconds fis_duration() const {
    return std::chrono::duration_cast<std::chrono::seconds>(spec_.deadline);
  }

  void print_clean_up() {
    out_ << "# clean-up (always, also after a failure or an interrupt):\n";
    for (const auto& bound : fis_bindings_) {
      guard_.permit({"fis", "DeleteExperimentTemplate", bound, "<each template the run made>",
                     nlohmann::json::object()});
    }
    for (const auto& arn : recycled_) {
      const auto function = *stacks::aws::lambda_function_name(*stacks::aws::parse_arn(arn));
      guard_.permit({"lambda",
                     "UpdateFunctionConfiguration",
                     arn,
                     function,
                     {{"Environment", {{"Variables", "<as before the run>"}}}}});
    }
    for (const auto& name : deployed_) {
      guard_.permit({"states",
                     "DeleteStateMachine",
                     spec_.aws.execution_role_arn,
                     name,
                     {{"stateMachineArn", "<" + name + ">"}}});
    }
    for (const auto& [name, binding] : spec_.aws.pools) {
      if (binding.kind == AwsPoolBinding::Kind::kEcsService) {
        out_ << "#   waits for ECS service " << binding.arn << " to be steady\n";
      }
    }
  }

  const ScenarioSpec& spec_;
  const RunOptions& run_;
  const AwsStackOptions& options_;
  std::ostream& out_;
  aws_api::AwsCallGuard guard_;
  std::vector<std::string> deployed_;
  std::set<std::string> recycled_;
  std::set<std::string> fis_bindings_;
};

}  // namespace

std::vector<std::string> print_aws_dry_run(const ScenarioSpec& spec, const RunOptions& run,
                                           const AwsStackOptions& options, std::ostream& out) {
  const auto stack = make_aws_scenario_stack(spec, options);
  auto problems = validate(spec, *stack, run);
  if (!problems.empty()) return problems;
  auto named = options;
  named.run_id = stack->run_id();
  DryRunPlan(spec, run, named, out).print();
  return {};
}

}  // namespace loveless::scenario
