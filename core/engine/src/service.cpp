#include "loveless/engine/service.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "function_reference.hpp"
#include "local_function.hpp"
#include "operations.hpp"
#include "request_shapes.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

using Operation = nlohmann::json (*)(ServiceContext&, const nlohmann::json&);

const std::unordered_map<std::string_view, Operation>& operations() {
  static const std::unordered_map<std::string_view, Operation> table = {
      {"CreateStateMachine", &create_state_machine},
      {"DescribeStateMachine", &describe_state_machine},
      {"ListStateMachines", &list_state_machines},
      {"UpdateStateMachine", &update_state_machine},
      {"DeleteStateMachine", &delete_state_machine},
      {"DescribeStateMachineForExecution", &describe_state_machine_for_execution},
      {"PublishStateMachineVersion", &publish_state_machine_version},
      {"ListStateMachineVersions", &list_state_machine_versions},
      {"DeleteStateMachineVersion", &delete_state_machine_version},
      {"CreateStateMachineAlias", &create_state_machine_alias},
      {"DescribeStateMachineAlias", &describe_state_machine_alias},
      {"UpdateStateMachineAlias", &update_state_machine_alias},
      {"DeleteStateMachineAlias", &delete_state_machine_alias},
      {"ListStateMachineAliases", &list_state_machine_aliases},
      {"ValidateStateMachineDefinition", &validate_state_machine_definition},
      {"StartExecution", &start_execution},
      {"StartSyncExecution", &start_sync_execution},
      {"DescribeExecution", &describe_execution},
      {"StopExecution", &stop_execution},
      {"ListExecutions", &list_executions},
      {"DescribeMapRun", &describe_map_run},
      {"ListMapRuns", &list_map_runs},
      {"UpdateMapRun", &update_map_run},
      {"RedriveExecution", &redrive_execution},
      {"TestState", &test_state},
      {"GetExecutionHistory", &get_execution_history},
      {"CreateActivity", &create_activity},
      {"DescribeActivity", &describe_activity},
      {"ListActivities", &list_activities},
      {"DeleteActivity", &delete_activity},
      {"GetActivityTask", &get_activity_task},
      {"SendTaskSuccess", &send_task_success},
      {"SendTaskFailure", &send_task_failure},
      {"SendTaskHeartbeat", &send_task_heartbeat},
      {"TagResource", &tag_resource},
      {"UntagResource", &untag_resource},
      {"ListTagsForResource", &list_tags_for_resource},
  };
  return table;
}

}  // namespace

struct StepFunctionsService::Impl {
  explicit Impl(ServiceOptions options) : context(std::move(options)) {}
  ServiceContext context;
};

StepFunctionsService::StepFunctionsService(ServiceOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

StepFunctionsService::~StepFunctionsService() { shutdown(); }

nlohmann::json StepFunctionsService::invoke(std::string_view operation,
                                            const nlohmann::json& request) {
  const auto& table = operations();
  const auto it = table.find(operation);
  if (it == table.end()) {
    throw ServiceError("UnknownOperationException",
                       "Unknown operation: '" + std::string(operation) + "'");
  }
  // An empty HTTP body arrives as null: the API treats it as `{}`.
  if (request.is_null()) return it->second(impl_->context, nlohmann::json::object());
  check_request_types(operation, request);
  return it->second(impl_->context, request);
}

nlohmann::json StepFunctionsService::invoke(std::string_view operation,
                                            const nlohmann::json& request,
                                            const CallerAddress& caller) {
  if (operation != "GetActivityTask") return invoke(operation, request);
  const auto& body = request.is_null() ? nlohmann::json::object() : request;
  check_request_types(operation, body);
  return get_activity_task_from(impl_->context, body, &caller);
}

void StepFunctionsService::set_worker_resolver(WorkerResolver resolver) {
  impl_->context.set_worker_resolver(std::move(resolver));
}

void StepFunctionsService::register_function(LocalFunctionConfig config) {
  if (!is_valid_function_name(config.name)) {
    throw std::invalid_argument("function name '" + config.name +
                                "' is not 1..64 letters, digits, '-' or '_'");
  }
  if (!config.launch_environment) {
    throw std::invalid_argument("function '" + config.name + "' has no launch_environment");
  }
  if (config.timeout.count() <= 0) {
    throw std::invalid_argument("function '" + config.name + "' needs a positive timeout");
  }
  auto& context = impl_->context;
  auto arn = function_arn(context.options.region, context.options.account_id, config.name);
  context.functions.add(std::make_shared<LocalFunction>(std::move(config), std::move(arn),
                                                        context.timers, context.next_seed()));
}

void StepFunctionsService::environment_exited(const std::string& environment_id,
                                              const std::string& how) {
  impl_->context.functions.environment_exited(environment_id, how);
}

void StepFunctionsService::set_single_use_workers(bool on) {
  impl_->context.single_use_pollers.set(on);
  // Polls made before now may be a dead worker's: none of them may take a
  // task meant for a fresh worker.
  if (on) impl_->context.queues.release_waiting();
  impl_->context.functions.set_single_use(on);
}

void StepFunctionsService::retire_worker(const std::string& fleet_worker) {
  impl_->context.single_use_pollers.retire(fleet_worker);
  impl_->context.functions.retire_environment(fleet_worker);
}

void StepFunctionsService::shutdown() {
  impl_->context.shutting_down = true;
  impl_->context.stopping.store(true);
  impl_->context.queues.shutdown();
  // Before the timers stop: environments blocked in /next are released and
  // no function timeout fires into a stopped service.
  impl_->context.functions.shutdown();
  impl_->context.timers.stop();
  // What runs finishes its slice; what is queued runs and posts no more.
  impl_->context.interpreter.shutdown();
  // Last: a timer that closed a child could still have posted to it.
  impl_->context.integrations.stop();
}

std::uint64_t StepFunctionsService::observe(ExecutionObserver observer) {
  return impl_->context.observers.add(std::move(observer));
}

void StepFunctionsService::unobserve(std::uint64_t subscription) {
  impl_->context.observers.remove(subscription);
}

const ServiceOptions& StepFunctionsService::options() const noexcept {
  return impl_->context.options;
}

}  // namespace loveless::engine
