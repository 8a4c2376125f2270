#include "loveless/stacks/aws/aws_scenario_stack.hpp"

#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>

#include "loveless/aws/region.hpp"
#include "loveless/aws/service_client.hpp"
#include "loveless/aws_api/cloudwatch_api.hpp"
#include "loveless/aws_api/fis_api.hpp"
#include "loveless/stacks/aws/arn.hpp"
#include "loveless/stacks/aws/ecs_service_pool.hpp"
#include "loveless/stacks/aws/lambda_function_pool.hpp"
#include "loveless/stacks/runs_root.hpp"

#include "aws_binding_checks.hpp"
#include "history_poller.hpp"
#include "stop_conditions.hpp"

namespace loveless::scenario {
namespace {

using stacks::PoolKind;
using stacks::Primitive;

std::string make_run_id() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return std::string("aws-") + text;
}

class AwsScenarioStack final : public ScenarioStack {
 public:
  AwsScenarioStack(const ScenarioSpec& spec, AwsStackOptions options)
      : bindings_(spec.aws), deadline_(spec.deadline), options_(std::move(options)) {
    if (options_.run_id.empty()) options_.run_id = make_run_id();
    if (options_.runs_root.empty()) {
      options_.runs_root = stacks::default_runs_root();
    }
  }
  ~AwsScenarioStack() override { AwsScenarioStack::down(); }
  AwsScenarioStack(const AwsScenarioStack&) = delete;
  AwsScenarioStack& operator=(const AwsScenarioStack&) = delete;

  [[nodiscard]] std::string_view name() const override { return "aws"; }

  void up() override {
    try {
      region_ = detail::aws_stack_region(bindings_, options_.region, options_.profile);
      credentials_ = options_.credentials;
      if (!credentials_) {
        aws::CredentialsChainOptions chain;
        chain.profile = options_.profile;
        credentials_ = aws::default_credentials_chain(chain);
      }
      (void)credentials_->get();  // fail now, with the chain's explanation
    } catch (const std::exception& e) {
      throw StackUnavailable(std::string("the aws stack cannot start: ") + e.what());
    }
    const auto kept =
        options_.kept_runs ? *options_.kept_runs : stacks::kept_runs_from_environment();
    stacks::secure_runs_root(options_.runs_root);
    run_directory_.emplace(options_.runs_root, options_.run_id);
    stacks::prune_runs(options_.runs_root, kept);
    std::vector<std::string> allowed;
    for (const auto& arn : bindings_.resources()) allowed.push_back(arn);
    guard_ = std::make_shared<aws_api::AwsCallGuard>(allowed, false, options_.log);
    context_.guard = guard_;
    context_.run_id = options_.run_id;
    context_.ecs_poll_interval = options_.ecs_poll_interval;
    context_.ecs = std::make_shared<aws_api::EcsApi>(service(aws::kEcs, options_.endpoints.ecs));
    context_.lambda =
        std::make_shared<aws_api::LambdaApi>(service(aws::kLambda, options_.endpoints.lambda));
    monitor_ = std::make_unique<detail::StopConditionMonitor>(
        bindings_.stop_conditions,
        [cloudwatch = std::make_shared<aws_api::CloudWatchApi>(
             service(aws::kCloudWatch, options_.endpoints.cloudwatch))](const auto& names) {
          return cloudwatch->alarm_states(names);
        });
    std::vector<std::string> alarm_arns;
    try {
      alarm_arns = monitor_->start();
    } catch (const std::exception& e) {
      throw StackUnavailable(std::string("the aws stack cannot read its stop conditions: ") +
                             e.what());
    }
    if (!bindings_.fis_role_arn.empty()) {
      aws_api::FisTemplateCommon common;
      common.role_arn = bindings_.fis_role_arn;
      common.run_id = options_.run_id;
      if (!alarm_arns.empty()) common.stop_alarm_arn = alarm_arns.front();
      context_.fis = std::make_shared<stacks::aws::FisExperiments>(
          std::make_shared<aws_api::FisApi>(service(aws::kFis, options_.endpoints.fis)), guard_,
          common, std::chrono::duration_cast<std::chrono::seconds>(deadline_));
    }
    started_ = true;
  }

  void down() noexcept override {
    if (!started_) {
      if (run_directory_) {
        // An `up` that failed half-way: release its run directory, empty or kept.
        run_directory_.reset();
        stacks::remove_if_unused(run_dir());
      }
      return;
    }
    started_ = false;
    stop_observing();
    if (monitor_) monitor_->stop();
    std::vector<std::string> failures;
    if (context_.fis) {
      auto undone = context_.fis->clean_up();
      failures.insert(failures.end(), undone.begin(), undone.end());
    }
    for (const auto& pool : lambda_pools_) {
      auto undone = pool->restore();
      failures.insert(failures.end(), undone.begin(), undone.end());
    }
    for (const auto& pool : ecs_pools_) {
      pool->stop();
      try {
        context_.ecs->wait_for_steady_state(pool->cluster(), pool->service(),
                                            options_.steady_state_timeout,
                                            options_.ecs_poll_interval);
      } catch (const std::exception& e) {
        failures.push_back("ECS service " + pool->service_arn() + " is not steady: " + e.what());
      }
    }
    for (const auto& arn : deployed_) {
      try {
        if (guard_->permit({"states",
                            "DeleteStateMachine",
                            bindings_.execution_role_arn,
                            arn,
                            {{"stateMachineArn", arn}}})) {
          (void)client().call("DeleteStateMachine", {{"stateMachineArn", arn}});
        }
      } catch (const std::exception& e) {
        failures.push_back("states:DeleteStateMachine " + arn + ": " + e.what());
      }
    }
    if (options_.log != nullptr) {
      for (const auto& failure : failures) {
        *options_.log << "warning: clean-up could not undo " << failure << "\n";
      }
      *options_.log << "aws clean-up: " << (failures.empty() ? "everything restored" : "incomplete")
                    << "\n";
    }
    run_directory_.reset();  // the run is over: a later run may prune its directory
  }

  [[nodiscard]] std::string run_id() const override { return options_.run_id; }
  [[nodiscard]] std::filesystem::path run_dir() const override {
    return options_.runs_root / options_.run_id;
  }

  [[nodiscard]] std::set<Primitive> capabilities(PoolKind kind) const override {
    return detail::aws_capabilities(kind, !bindings_.fis_role_arn.empty());
  }
  [[nodiscard]] std::string alternative_to(PoolKind kind, Primitive missing) const override {
    return detail::aws_alternative(kind, missing, !bindings_.fis_role_arn.empty());
  }
  [[nodiscard]] std::vector<std::string> check_bindings(const ScenarioSpec& spec) const override {
    return detail::check_aws_bindings(spec);
  }
  [[nodiscard]] bool audits_scratch() const override { return false; }
  [[nodiscard]] bool runs_images() const override { return false; }
  [[nodiscard]] bool launches_workers() const override { return false; }
  [[nodiscard]] double history_calls_per_second() const override {
    return detail::HistoryPollerOptions{}.calls_per_second;
  }
  [[nodiscard]] std::optional<std::string> stop_reason() const override {
    return monitor_ ? monitor_->reason() : std::nullopt;
  }

  std::string create_activity(const std::string& name) override {
    return bindings_.pools.at(name).activity_arn;
  }

  std::shared_ptr<stacks::Pool> add_activity_pool(stacks::PoolSpec spec) override {
    const auto& binding = bindings_.pools.at(spec.name);
    const auto service = stacks::aws::ecs_service_name(*stacks::aws::parse_arn(binding.arn));
    auto pool = std::make_shared<stacks::aws::EcsServicePool>(
        std::move(spec), binding.arn, service->cluster, service->service, context_);
    start_pool(*pool, binding.arn);
    ecs_pools_.push_back(pool);
    return pool;
  }

  std::shared_ptr<stacks::Pool> add_function(const std::string& name, stacks::PoolSpec spec,
                                             std::chrono::milliseconds /*timeout*/,
                                             int /*concurrency*/) override {
    const auto& binding = bindings_.pools.at(name);
    const auto function = *stacks::aws::lambda_function_name(*stacks::aws::parse_arn(binding.arn));
    auto pool = std::make_shared<stacks::aws::LambdaFunctionPool>(std::move(spec), binding.arn,
                                                                  function, context_);
    start_pool(*pool, binding.arn);
    lambda_pools_.push_back(pool);
    pool_of_resource_[binding.arn] = name;
    pool_of_resource_[function] = name;
    function_worker_[name] = function;
    return pool;
  }

  [[nodiscard]] std::string function_arn(const std::string& name) const override {
    return bindings_.pools.at(name).arn;
  }

  std::string deploy(const std::string& workflow, const std::string& definition) override {
    if (const auto bound = bindings_.state_machines.find(workflow);
        bound != bindings_.state_machines.end()) {
      // Bound: run it as it is. DescribeStateMachine says now if it is missing.
      (void)client().call("DescribeStateMachine", {{"stateMachineArn", bound->second}});
      state_machines_.push_back(bound->second);
      return bound->second;
    }
    const auto name = detail::deployed_state_machine_name(workflow, options_.run_id);
    const nlohmann::json request = {
        {"name", name}, {"definition", definition}, {"roleArn", bindings_.execution_role_arn}};
    if (!guard_->permit(
            {"states", "CreateStateMachine", bindings_.execution_role_arn, name, request})) {
      return "arn:aws:states:" + region_ + ":000000000000:stateMachine:" + name;
    }
    const auto created = client().call("CreateStateMachine", request);
    auto arn = created.value("stateMachineArn", std::string());
    deployed_.push_back(arn);
    state_machines_.push_back(arn);
    return arn;
  }

  [[nodiscard]] aws::JsonClient client() const override {
    aws::JsonClientOptions client;
    aws::ServiceClientOptions resolve;
    resolve.service = aws::kStepFunctions;
    resolve.region = region_;
    resolve.endpoint = options_.endpoints.states;
    client.endpoint = aws::resolve_endpoint(resolve);
    client.region = region_;
    client.credentials = credentials_;
    return aws::JsonClient(client);
  }

  bool observe(notices::ExecutionObserver observer) override {
    auto forward = [this, observer = std::move(observer)](const notices::ExecutionNotice& notice) {
      const auto& type = notice.event.type;
      if (type == "ExecutionSucceeded") monitor_->execution_closed("SUCCEEDED");
      if (type == "ExecutionFailed") monitor_->execution_closed("FAILED");
      if (type == "ExecutionTimedOut") monitor_->execution_closed("TIMED_OUT");
      if (type == "ExecutionAborted") monitor_->execution_closed("ABORTED");
      observer(notice);
    };
    detail::HistoryPollerOptions poll;
    poll.interval = options_.history_poll_interval;
    // The run's executions start after this call; the margin covers a skew
    // between this clock and AWS's startDate without following much of an
    // earlier run of a bound state machine.
    const auto since = std::chrono::system_clock::now() - std::chrono::seconds(10);
    pollers_.push_back(std::make_unique<detail::HistoryPoller>(client(), state_machines_, since,
                                                               pool_of_resource_, function_worker_,
                                                               std::move(forward), poll));
    return true;
  }

  void stop_observing() noexcept override {
    for (auto& poller : pollers_) poller->stop();
    pollers_.clear();
  }

 private:
  /// A bound resource AWS refuses (missing, no permission) is the stack's
  /// problem, not the workflow's: rethrown so the runner exits 3.
  template <typename Pool>
  static void start_pool(Pool& pool, const std::string& arn) {
    try {
      pool.start();
    } catch (const std::exception& e) {
      throw std::runtime_error(arn + ": " + e.what());
    }
  }

  [[nodiscard]] aws::ServiceClient service(const aws::ServiceEndpoint& endpoint,
                                           const std::string& url) const {
    aws::ServiceClientOptions options;
    options.service = endpoint;
    options.region = region_;
    options.endpoint = url;
    options.credentials = credentials_;
    return aws::ServiceClient(options);
  }

  AwsBindings bindings_;
  std::chrono::milliseconds deadline_;
  AwsStackOptions options_;
  /// Held from `up` to `down`: marks the run directory as a live run's.
  std::optional<stacks::RunDirectory> run_directory_;
  std::string region_;
  std::shared_ptr<aws::CredentialsProvider> credentials_;
  std::shared_ptr<aws_api::AwsCallGuard> guard_;
  stacks::aws::AwsFleetContext context_;
  std::unique_ptr<detail::StopConditionMonitor> monitor_;
  std::vector<std::shared_ptr<stacks::aws::EcsServicePool>> ecs_pools_;
  std::vector<std::shared_ptr<stacks::aws::LambdaFunctionPool>> lambda_pools_;
  std::map<std::string, std::string> pool_of_resource_;
  std::map<std::string, std::string> function_worker_;
  std::vector<std::string> state_machines_;
  std::vector<std::string> deployed_;
  std::vector<std::unique_ptr<detail::HistoryPoller>> pollers_;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<ScenarioStack> make_aws_scenario_stack(const ScenarioSpec& spec,
                                                       AwsStackOptions options) {
  return std::make_unique<AwsScenarioStack>(spec, std::move(options));
}

}  // namespace loveless::scenario
