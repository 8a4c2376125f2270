#pragma once

#include <nlohmann/json.hpp>

namespace loveless::engine {

struct CallerAddress;
struct ServiceContext;

// One function per API operation: the request body in, the response body out,
// `ServiceError` for every error the API reference lists. Request and response
// members follow the Step Functions API reference of the same name.

// state_machine_operations.cpp
nlohmann::json create_state_machine(ServiceContext& context, const nlohmann::json& request);
nlohmann::json describe_state_machine(ServiceContext& context, const nlohmann::json& request);
nlohmann::json list_state_machines(ServiceContext& context, const nlohmann::json& request);
nlohmann::json update_state_machine(ServiceContext& context, const nlohmann::json& request);
nlohmann::json delete_state_machine(ServiceContext& context, const nlohmann::json& request);

// version_operations.cpp: published versions of a state machine
// (`<state machine ARN>:<number>`).
/// `{stateMachineVersionArn, creationDate}`; the version holding the current
/// revision when there is one. ConflictException (revisionId not current),
/// StateMachineDoesNotExist, StateMachineDeleting, InvalidArn,
/// ServiceQuotaExceededException (1,000 versions).
nlohmann::json publish_state_machine_version(ServiceContext& context,
                                             const nlohmann::json& request);
/// `{stateMachineVersions: [{stateMachineVersionArn, creationDate}], nextToken}`,
/// newest first. StateMachineDoesNotExist, InvalidArn, InvalidToken.
nlohmann::json list_state_machine_versions(ServiceContext& context, const nlohmann::json& request);
/// `{}`, also for a version that does not exist. ConflictException while an
/// alias routes to it; InvalidArn for anything but a version ARN.
nlohmann::json delete_state_machine_version(ServiceContext& context, const nlohmann::json& request);

// alias_operations.cpp: aliases (`<state machine ARN>:<name>`) routing
// executions to one or two versions by weight.
/// `{stateMachineAliasArn, creationDate}`; idempotent for the same routing
/// and description, ConflictException otherwise. ValidationException for a
/// bad name or routing configuration, ResourceNotFound for a version that
/// does not exist.
nlohmann::json create_state_machine_alias(ServiceContext& context, const nlohmann::json& request);
/// `{stateMachineAliasArn, name, description, routingConfiguration,
/// creationDate, updateDate}`. ResourceNotFound, InvalidArn.
nlohmann::json describe_state_machine_alias(ServiceContext& context, const nlohmann::json& request);
/// `{updateDate}`. ResourceNotFound, ValidationException, InvalidArn.
nlohmann::json update_state_machine_alias(ServiceContext& context, const nlohmann::json& request);
/// `{}`, also for an alias that does not exist. InvalidArn.
nlohmann::json delete_state_machine_alias(ServiceContext& context, const nlohmann::json& request);
/// `{stateMachineAliases: [{stateMachineAliasArn, creationDate}], nextToken}`
/// in creation order; a version ARN lists the aliases routing to it.
/// StateMachineDoesNotExist, InvalidArn, InvalidToken.
nlohmann::json list_state_machine_aliases(ServiceContext& context, const nlohmann::json& request);

// state_machine_for_execution.cpp
/// The state machine revision the execution started with: stateMachineArn,
/// name, definition, roleArn, updateDate, loggingConfiguration,
/// tracingConfiguration, revisionId (after an update). ExecutionDoesNotExist,
/// InvalidArn (an EXPRESS execution's too).
nlohmann::json describe_state_machine_for_execution(ServiceContext& context,
                                                    const nlohmann::json& request);

// validate_definition_operation.cpp
/// `{"result": "OK"|"FAIL", "diagnostics": [{severity, code, message,
/// location}], "truncated": false}`; at most one diagnostic (the first
/// violation). ValidationException for a bad type, severity or maxResults.
nlohmann::json validate_state_machine_definition(ServiceContext& context,
                                                 const nlohmann::json& request);

// execution_operations.cpp
nlohmann::json start_execution(ServiceContext& context, const nlohmann::json& request);
nlohmann::json describe_execution(ServiceContext& context, const nlohmann::json& request);
nlohmann::json stop_execution(ServiceContext& context, const nlohmann::json& request);
nlohmann::json list_executions(ServiceContext& context, const nlohmann::json& request);

// map_run_operations.cpp: the Map Runs of distributed Maps.
/// `{mapRunArn, executionArn, status, startDate, stopDate, maxConcurrency,
/// toleratedFailurePercentage, toleratedFailureCount, itemCounts,
/// executionCounts, redriveCount}`. InvalidArn, ResourceNotFound.
nlohmann::json describe_map_run(ServiceContext& context, const nlohmann::json& request);
/// `{mapRuns: [{executionArn, mapRunArn, stateMachineArn, startDate, stopDate}],
/// nextToken}` in start order. ExecutionDoesNotExist, InvalidArn, InvalidToken.
nlohmann::json list_map_runs(ServiceContext& context, const nlohmann::json& request);
/// UpdateMapRun: a running Map Run's maxConcurrency (>= 0), toleratedFailureCount
/// (>= 0) and toleratedFailurePercentage (0..100), as
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateMapRun.html
/// gives them; `{}`. ResourceNotFound for an unknown Map Run, ValidationException
/// for a value out of range or a Map Run that has ended (our choice: AWS
/// updates only "an in-progress Map Run").
nlohmann::json update_map_run(ServiceContext& context, const nlohmann::json& request);

// redrive_operations.cpp
nlohmann::json redrive_execution(ServiceContext& context, const nlohmann::json& request);

// test_state_operations.cpp
nlohmann::json test_state(ServiceContext& context, const nlohmann::json& request);
// sync_execution_operation.cpp
/// Runs an EXPRESS execution and answers once it closed: executionArn,
/// stateMachineArn, name, startDate, stopDate, status (SUCCEEDED, FAILED,
/// TIMED_OUT), input, output or error/cause, billingDetails.
/// StateMachineTypeNotSupported for a STANDARD state machine; the errors of
/// StartExecution; ServiceUnavailable when the service shuts down meanwhile.
nlohmann::json start_sync_execution(ServiceContext& context, const nlohmann::json& request);

// history_operations.cpp
nlohmann::json get_execution_history(ServiceContext& context, const nlohmann::json& request);

// activity_operations.cpp
nlohmann::json create_activity(ServiceContext& context, const nlohmann::json& request);
nlohmann::json describe_activity(ServiceContext& context, const nlohmann::json& request);
nlohmann::json list_activities(ServiceContext& context, const nlohmann::json& request);
nlohmann::json delete_activity(ServiceContext& context, const nlohmann::json& request);
nlohmann::json get_activity_task(ServiceContext& context, const nlohmann::json& request);
/// GetActivityTask from `caller` (null: not over a connection): the task's
/// Started event goes to observers with the worker `context.worker_of` names.
nlohmann::json get_activity_task_from(ServiceContext& context, const nlohmann::json& request,
                                      const CallerAddress* caller);

// tag_operations.cpp: tags of state machines and activities (`[{key, value}]`).
// ResourceNotFound for a Step Functions ARN of nothing taggable, InvalidArn,
// ValidationException for bad keys or values, TooManyTags past 50.
nlohmann::json tag_resource(ServiceContext& context, const nlohmann::json& request);
nlohmann::json untag_resource(ServiceContext& context, const nlohmann::json& request);
nlohmann::json list_tags_for_resource(ServiceContext& context, const nlohmann::json& request);

// task_operations.cpp
nlohmann::json send_task_success(ServiceContext& context, const nlohmann::json& request);
nlohmann::json send_task_failure(ServiceContext& context, const nlohmann::json& request);
nlohmann::json send_task_heartbeat(ServiceContext& context, const nlohmann::json& request);

}  // namespace loveless::engine
