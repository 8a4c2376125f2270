#pragma once

// A validated definition turned into what the interpreter walks: states in a
// vector with transitions resolved to indexes and every path compiled once, so
// that a transition costs no lookups by name and no path parsing.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/execution.hpp"
#include "loveless/asl/json_path.hpp"

namespace loveless::asl::detail {

enum class StateType { kTask, kPass, kChoice, kWait, kSucceed, kFail, kParallel, kMap };

/// `Task`, `Pass`, ...: the prefix of the state's history event types.
std::string_view type_name(StateType type);

/// InputPath, OutputPath, ResultPath, ItemsPath: absent (the default, `$`),
/// `null` (AWS: `{}` for InputPath/OutputPath, discard the result for
/// ResultPath) or a path.
struct PathField {
  enum class Mode : std::uint8_t { kDefault, kNull, kPath };
  Mode mode = Mode::kDefault;
  std::optional<JsonPath> path;
  /// True for `$` or an absent field: the value passes through unchanged.
  [[nodiscard]] bool is_identity() const {
    return mode == Mode::kDefault || (mode == Mode::kPath && path->text() == "$");
  }
};

/// A path-or-intrinsic value of the JSONPath query language (Fail's
/// ErrorPath/CausePath).
struct DynamicValue {
  std::optional<JsonPath> path;
  std::string intrinsic;
};

struct Retrier {
  const nlohmann::json* error_equals = nullptr;
  std::int64_t interval_seconds = 1;
  std::int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<std::int64_t> max_delay_seconds;
  bool full_jitter = false;

  /// Seconds before the next attempt after `retries` earlier retries, before
  /// jitter: `min(IntervalSeconds * BackoffRate^retries, MaxDelaySeconds)`.
  [[nodiscard]] double delay_seconds(std::int64_t retries) const {
    const double delay = static_cast<double>(interval_seconds) *
                         std::pow(backoff_rate, static_cast<double>(retries));
    return max_delay_seconds ? std::min(delay, static_cast<double>(*max_delay_seconds)) : delay;
  }
};

struct Catcher {
  const nlohmann::json* error_equals = nullptr;
  std::size_t next = 0;
  PathField result_path;
  /// JSONata: the catcher's Output (default `$states.errorOutput`).
  const nlohmann::json* output = nullptr;
  /// Assign (both query languages).
  const nlohmann::json* assign = nullptr;
};

struct Machine;

struct State {
  std::string name;
  StateType type = StateType::kPass;
  bool end = false;
  std::size_t next = 0;
  /// The state's query language is JSONata (its own QueryLanguage, else the
  /// state machine's): the fields below marked JSONata apply, the JSONPath
  /// ones (paths, Parameters, ResultSelector) are absent.
  bool jsonata = false;
  /// Assign (both query languages): variable name -> value, expression or
  /// (JSONPath) `.$` path.
  const nlohmann::json* assign = nullptr;
  /// JSONata: Output (default: the result, or the input of a state without one).
  const nlohmann::json* output = nullptr;
  /// JSONata: Arguments of a Task or Parallel (default: the state's input).
  const nlohmann::json* arguments = nullptr;
  /// JSONata: a TimeoutSeconds, HeartbeatSeconds, Wait Seconds or Timestamp,
  /// Map MaxConcurrency given as an expression (`"{% ... %}"`).
  const nlohmann::json* timeout_expression = nullptr;
  const nlohmann::json* heartbeat_expression = nullptr;
  const nlohmann::json* seconds_expression = nullptr;
  const nlohmann::json* timestamp_expression = nullptr;
  const nlohmann::json* max_concurrency_expression = nullptr;
  /// JSONata: Map Items (an array or an expression; default `$states.input`).
  const nlohmann::json* items = nullptr;
  /// JSONata: Fail Error and Cause given as expressions.
  const nlohmann::json* error_expression = nullptr;
  const nlohmann::json* cause_expression = nullptr;

  PathField input_path;
  PathField output_path;
  PathField result_path;
  /// Parameters (Map: ItemSelector or its older name Parameters).
  const nlohmann::json* parameters = nullptr;
  const nlohmann::json* result_selector = nullptr;
  /// Pass `Result`.
  const nlohmann::json* result = nullptr;
  std::vector<Retrier> retriers;
  std::vector<Catcher> catchers;

  // Task
  std::string resource;
  ResourceKind resource_kind = ResourceKind::kOther;
  std::optional<std::int64_t> timeout_seconds;
  std::optional<JsonPath> timeout_seconds_path;
  std::optional<std::int64_t> heartbeat_seconds;
  std::optional<JsonPath> heartbeat_seconds_path;

  // Choice
  std::vector<const nlohmann::json*> choices;
  std::vector<std::size_t> choice_next;
  std::optional<std::size_t> default_next;

  // Wait
  std::optional<std::int64_t> seconds;
  std::optional<std::string> timestamp;
  std::optional<JsonPath> seconds_path;
  std::optional<JsonPath> timestamp_path;

  // Fail
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<DynamicValue> error_path;
  std::optional<DynamicValue> cause_path;

  // Parallel
  std::vector<std::unique_ptr<Machine>> branches;

  // Map
  std::unique_ptr<Machine> processor;
  PathField items_path;
  std::int64_t max_concurrency = 0;
  std::optional<JsonPath> max_concurrency_path;

  // Distributed Map (ProcessorConfig Mode DISTRIBUTED): a Map Run whose
  // iterations are child workflow executions (execution_map_run.cpp).
  bool distributed = false;
  /// Label (empty: none given).
  std::string label;
  /// ToleratedFailureCount / ToleratedFailurePercentage: a number or a JSONata
  /// expression, else the `*Path` forms; both default to 0.
  const nlohmann::json* tolerated_failure_count = nullptr;
  std::optional<JsonPath> tolerated_failure_count_path;
  const nlohmann::json* tolerated_failure_percentage = nullptr;
  std::optional<JsonPath> tolerated_failure_percentage_path;
  /// ItemBatcher, as written (null: every item is its own child's input).
  const nlohmann::json* item_batcher = nullptr;
  /// ItemReader / ResultWriter (Amazon S3), as written; only TestState's
  /// definitions may have them (DefinitionOptions::allow_s3_item_io).
  const nlohmann::json* item_reader = nullptr;
  const nlohmann::json* result_writer = nullptr;
};

/// One `StartAt` + `States` block: the top level, a Parallel branch or a Map
/// processor.
struct Machine {
  std::vector<State> states;
  std::size_t start = 0;
};

/// The compiled form of one Definition. Holds the definition alive because
/// states point into its document.
struct CompiledDefinition {
  std::shared_ptr<const Definition> definition;
  Machine root;
};

/// Compiles a definition, or returns the compiled form another execution of
/// the same Definition already built (thread-safe). Throws
/// `std::runtime_error` for a document the validator should have rejected.
std::shared_ptr<const CompiledDefinition> compile_definition(
    const std::shared_ptr<const Definition>& definition);

}  // namespace loveless::asl::detail
