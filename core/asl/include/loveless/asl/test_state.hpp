#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/definition.hpp"
#include "loveless/asl/execution.hpp"

namespace loveless::asl {

/// The name TestState gives a state passed alone (AWS's recordings show it in
/// `$$.State.Name`).
inline constexpr std::string_view kLoneStateName = "StateName";

/// Wraps one state's definition (a JSON object with `Type`) as a state
/// machine that starts at it, named `kLoneStateName`; every state it names as
/// a transition (Next, Default, a choice's or catcher's Next) becomes a
/// Succeed state, so that the wrapped state validates as it would inside its
/// state machine. Throws `InvalidDefinition` (paths under `/States/StateName`).
std::shared_ptr<const Definition> lone_state_definition(const nlohmann::json& state,
                                                        DefinitionOptions options = {});

/// What TestState needs to know of the state under test before running it.
struct TestedState {
  /// `Task`, `Pass`, `Choice`, `Wait`, `Succeed`, `Fail`, `Parallel`, `Map`.
  std::string type;
  /// Task states: the `Resource` and how it is invoked.
  std::string resource;
  ResourceKind resource_kind = ResourceKind::kOther;
  /// The state's query language is JSONata.
  bool jsonata = false;
  /// Parallel: how many branches it has.
  std::size_t branch_count = 0;
  /// Map: it has an ItemReader / a ResultWriter.
  bool item_reader = false;
  bool result_writer = false;
  /// Parallel and Map: the names of the states inside it, at any depth.
  std::vector<std::string> nested_states;
};

/// Finds `state_name` in `definition`, at the top level or inside a
/// Parallel branch or a Map's processor; nullopt when there is none.
std::optional<TestedState> find_tested_state(const std::shared_ptr<const Definition>& definition,
                                             std::string_view state_name);

/// The outcome of a tested Task's work: its result, or its error and cause.
struct TestTaskOutcome {
  bool succeeded = true;
  /// The task's result (for `lambda:invoke`, the Invoke response that
  /// ResultSelector reads: `{"ExecutedVersion", "Payload", "StatusCode"}`).
  nlohmann::json result;
  std::string error;
  std::string cause;
};

/// Does a tested Task's work (invokes the function) and waits for it.
using TestTaskRunner = std::function<TestTaskOutcome(const TaskRequest& request)>;

/// One TestState call, after its request has been validated.
struct TestStateRequest {
  std::shared_ptr<const Definition> definition;
  /// The state to test (`kLoneStateName` for a lone state).
  std::string state_name;
  nlohmann::json input;
  /// The context object's Execution and StateMachine members.
  ExecutionInfo info;
  /// TestState's `mock`: replaces the work of a Task, or the iterations of
  /// a Map or the branches of a Parallel (their results, as one array).
  std::optional<TestTaskOutcome> mock;
  /// `stateConfiguration.retrierRetryCount`: the retries already made, which
  /// decide whether a matching retrier still has attempts (RETRIABLE) or not.
  std::int64_t retrier_retry_count = 0;
  /// TestState's `variables`: the workflow variables the state sees (an object).
  nlohmann::json variables = nlohmann::json::object();
  /// TestState's `context`: the whole context object (`$$`,
  /// `$states.context`), as given; nullopt: one made from `info`.
  std::optional<nlohmann::json> context;
  /// `stateConfiguration.mapIterationFailureCount`: how many of a mocked
  /// Map's iterations failed, held against its tolerated failure threshold.
  std::int64_t map_iteration_failure_count = 0;
  /// `stateConfiguration.mapItemReaderData`, parsed: what an ItemReader read.
  std::optional<nlohmann::json> map_item_reader_data;
};

/// TestState's answer
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html).
struct TestStateResult {
  /// `SUCCEEDED`, `FAILED`, `RETRIABLE` (a retrier matches the error and has
  /// attempts left) or `CAUGHT_ERROR` (a catcher matches it).
  std::string status;
  /// The state's output (SUCCEEDED, CAUGHT_ERROR: the catcher's ResultPath applied).
  std::optional<nlohmann::json> output;
  std::string error;
  std::string cause;
  /// The transition taken: Next, the matched choice or Default, the catcher's Next.
  std::optional<std::string> next_state;
  /// `inspectionData` as values (the API sends each as JSON text, except the
  /// numbers `maxConcurrency`, `toleratedFailureCount` and
  /// `toleratedFailurePercentage` and the structure `errorDetails`): `input`;
  /// for JSONPath `afterInputPath`, `afterParameters`, `afterItemsPath`,
  /// `afterItemSelector`, `result`, `afterResultSelector`, `afterResultPath`;
  /// for JSONata `afterArguments` and `result`; Map's numbers; `variables`
  /// (after the state's Assign, when there are any); `errorDetails`
  /// (`retryIndex`, `retryBackoffIntervalSeconds`, `catchIndex`). Each as far
  /// as the state got, with the members AWS's recordings show for each state
  /// type and query language (a Pass with `Result` has no `afterInputPath`;
  /// a Parallel has no `afterInputPath`, a JSONata Parallel no `afterArguments`).
  nlohmann::json inspection_data = nlohmann::json::object();
};

/// Evaluates the state `request.state_name` once, as an execution would, but
/// without waiting (a Wait returns at once, a Retry is reported as RETRIABLE
/// instead of retried) and without history, in either query language. Task
/// states call `run_task` unless `request.mock` is set. Parallel and Map
/// states run on `request.mock` only (their iterations and branches are not
/// run); without one, and for states that are not found, it throws
/// `std::invalid_argument` (the engine rejects such requests first).
TestStateResult test_state(const TestStateRequest& request, const TestTaskRunner& run_task,
                           RandomSource& random, TimePoint now);

}  // namespace loveless::asl
