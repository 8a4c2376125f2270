#include "aws_binding_checks.hpp"

#include <stdexcept>

#include "loveless/aws/region.hpp"
#include "loveless/stacks/aws/arn.hpp"

namespace loveless::scenario::detail {
namespace {

using stacks::PoolKind;
using stacks::Primitive;
using stacks::aws::parse_arn;

constexpr const char* kFisHint = "bind a FIS role (s.aws().fis_role(\"arn:aws:iam::...\"))";

class BindingChecker {
 public:
  explicit BindingChecker(const ScenarioSpec& spec) : spec_(spec), aws_(spec.aws) {}

  std::vector<std::string> run() {
    for (const auto& pool : spec_.pools) check_pool(pool);
    for (const auto& [name, binding] : aws_.pools) {
      bool declared = false;
      for (const auto& pool : spec_.pools) declared = declared || pool.name == name;
      if (!declared) problems_.push_back("aws binding for pool " + name + ": no such pool");
    }
    for (const auto& workflow : spec_.workflows) check_workflow(workflow.name);
    for (const auto& [name, arn] : aws_.state_machines) {
      check_arn("state machine of workflow " + name, arn, "states", "stateMachine:");
    }
    if (!aws_.execution_role_arn.empty()) {
      check_arn("execution role", aws_.execution_role_arn, "iam", "role/");
    }
    if (!aws_.fis_role_arn.empty()) check_arn("FIS role", aws_.fis_role_arn, "iam", "role/");
    const auto& stop = aws_.stop_conditions;
    if (stop.max_failure_rate && (*stop.max_failure_rate < 0 || *stop.max_failure_rate > 1)) {
      problems_.emplace_back("aws stop condition: the failure rate must be within [0, 1]");
    }
    if (stop.failure_rate_min_executions < 1) {
      problems_.emplace_back("aws stop condition: the failure rate needs at least 1 execution");
    }
    return std::move(problems_);
  }

 private:
  void check_pool(const PoolDeclaration& pool) {
    const auto binding = aws_.pools.find(pool.name);
    if (binding == aws_.pools.end()) {
      problems_.push_back(
          "pool " + pool.name + " has no AWS binding: add " +
          (pool.function ? "s.aws().lambda_function(\"" + pool.name +
                               "\", \"arn:aws:lambda:<region>:<account>:function:<name>\")"
                         : "s.aws().ecs_service(\"" + pool.name +
                               "\", \"arn:aws:ecs:<region>:<account>:service/<cluster>/<name>\", "
                               "\"arn:aws:states:<region>:<account>:activity:<name>\")"));
      return;
    }
    const auto& bound = binding->second;
    const bool lambda = bound.kind == AwsPoolBinding::Kind::kLambdaFunction;
    if (pool.function != lambda) {
      problems_.push_back("pool " + pool.name + " is " +
                          (pool.function ? "a function pool" : "an activity pool") +
                          " but is bound to " + (lambda ? "a Lambda function" : "an ECS service"));
      return;
    }
    const auto where = "pool " + pool.name;
    if (lambda) {
      const auto arn = check_arn(where, bound.arn, "lambda", "function:");
      if (arn && !stacks::aws::lambda_function_name(*arn)) {
        problems_.push_back(where + ": " + bound.arn + " names no function");
      }
      return;
    }
    const auto arn = check_arn(where, bound.arn, "ecs", "service/");
    if (arn && !stacks::aws::ecs_service_name(*arn)) {
      problems_.push_back(where + ": " + bound.arn +
                          " is not a long-format service ARN (service/<cluster>/<service>)");
    }
    check_arn(where + " activity", bound.activity_arn, "states", "activity:");
  }

  void check_workflow(const std::string& name) {
    if (aws_.state_machines.contains(name) || !aws_.execution_role_arn.empty()) return;
    problems_.push_back("workflow " + name + " has no AWS binding: add s.aws().state_machine(\"" +
                        name +
                        "\", \"arn:aws:states:...:stateMachine:<name>\") or "
                        "s.aws().execution_role(\"arn:aws:iam::<account>:role/<name>\")");
  }

  std::optional<stacks::aws::Arn> check_arn(const std::string& where, const std::string& text,
                                            const std::string& service,
                                            const std::string& resource_prefix) {
    auto arn = parse_arn(text);
    if (!arn || arn->service != service || !arn->resource.starts_with(resource_prefix)) {
      problems_.push_back(where + ": '" + text + "' is not an ARN of the form arn:aws:" + service +
                          ":...:" + resource_prefix + "...");
      return std::nullopt;
    }
    if (!partition_.empty() && arn->partition != partition_) {
      problems_.push_back(where + ": " + text + " is in partition " + arn->partition +
                          ", the other bindings in " + partition_);
    }
    partition_ = arn->partition;
    if (!arn->region.empty()) {  // IAM ARNs have none
      if (!region_.empty() && arn->region != region_) {
        problems_.push_back(where + ": " + text + " is in region " + arn->region +
                            ", the other bindings in " + region_ + " (a run uses one region)");
      }
      region_ = arn->region;
    }
    return arn;
  }

  const ScenarioSpec& spec_;
  const AwsBindings& aws_;
  std::string partition_;
  std::string region_;
  std::vector<std::string> problems_;
};

}  // namespace

std::set<Primitive> aws_capabilities(PoolKind kind, bool fis) {
  std::set<Primitive> supported =
      kind == PoolKind::kActivity
          ? std::set<Primitive>{Primitive::kKill, Primitive::kStop, Primitive::kRestart}
          : std::set<Primitive>{Primitive::kStop, Primitive::kRestart, Primitive::kWipeScratch};
  if (fis) supported.insert(Primitive::kLatency);
  return supported;
}

std::string aws_alternative(PoolKind kind, Primitive missing, bool fis) {
  const bool ecs = kind == PoolKind::kActivity;
  switch (missing) {
    case Primitive::kPause:
    case Primitive::kResume:
      return fis ? "latency(...) (through AWS FIS)"
                 : std::string("kill() or ") + kFisHint + " for latency(...)";
    case Primitive::kKill:
      return "stop() or restart() (AWS cannot end one Lambda execution environment; both "
             "recycle them all)";
    case Primitive::kWipeScratch:
      return ecs ? "restart() (the ECS service replaces the task, and its /tmp with it)"
                 : "restart()";
    case Primitive::kLatency:
      return kFisHint;
    case Primitive::kStop:
    case Primitive::kRestart:
      return "kill()";
  }
  return {};
}

std::vector<std::string> check_aws_bindings(const ScenarioSpec& spec) {
  return BindingChecker(spec).run();
}

std::string aws_stack_region(const AwsBindings& bindings, const std::string& explicit_region,
                             const std::string& profile) {
  try {
    aws::CredentialsChainOptions options;
    options.profile = profile;
    return aws::resolve_region(explicit_region, options);
  } catch (const std::exception&) {
    for (const auto& arn : bindings.resources()) {
      const auto parsed = parse_arn(arn);
      if (parsed && !parsed->region.empty()) return parsed->region;
    }
    throw;
  }
}

std::string deployed_state_machine_name(const std::string& workflow, const std::string& run_id) {
  return ("loveless-" + workflow + "-" + run_id).substr(0, 80);
}

}  // namespace loveless::scenario::detail
