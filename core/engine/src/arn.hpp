#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loveless::engine {

/// The `separator`-delimited fields of an ARN-like text, empty fields kept
/// (`arn:aws:states:::lambda:invoke` has empty region and account).
std::vector<std::string_view> split_fields(std::string_view text, char separator);

/// The resource types of Step Functions ARNs this engine mints.
enum class ArnType {
  kStateMachine,
  /// `...:stateMachine:<name>:<version number>`.
  kStateMachineVersion,
  /// `...:stateMachine:<name>:<alias name>`.
  kStateMachineAlias,
  kExecution,
  kExpressExecution,
  kActivity
};

/// A parsed Step Functions ARN:
/// `arn:<partition>:states:<region>:<account>:stateMachine:<name>`,
/// `...:execution:<stateMachineName>:<executionName>`, `...:activity:<name>`,
/// an EXPRESS execution's `...:express:<stateMachineName>:<executionName>:<uuid>`,
/// and a state machine ARN qualified with a version number or an alias name.
struct Arn {
  ArnType type = ArnType::kStateMachine;
  std::string region;
  std::string account_id;
  /// The state machine or activity name (for an execution: its state machine's).
  std::string name;
  /// Executions only.
  std::string execution_name;
  /// Versions and aliases: the version number (digits) or the alias name.
  std::string qualifier;

  /// The unqualified state machine ARN of a version or an alias (or of a
  /// state machine).
  [[nodiscard]] std::string state_machine_arn() const;
  /// A version's or an alias's ARN.
  [[nodiscard]] bool qualified() const {
    return type == ArnType::kStateMachineVersion || type == ArnType::kStateMachineAlias;
  }
};

/// Mints ARNs in `region` and `account_id`.
std::string state_machine_arn(std::string_view region, std::string_view account_id,
                              std::string_view name);
std::string execution_arn(std::string_view region, std::string_view account_id,
                          std::string_view state_machine_name, std::string_view execution_name);
/// AWS's form for an EXPRESS execution: a run id (a UUID) after the name,
/// since express execution names need not be unique.
std::string express_execution_arn(std::string_view region, std::string_view account_id,
                                  std::string_view state_machine_name,
                                  std::string_view execution_name, std::string_view run_id);
std::string activity_arn(std::string_view region, std::string_view account_id,
                         std::string_view name);

/// Parses `text` as a Step Functions ARN; nullopt when it is not one.
std::optional<Arn> parse_arn(std::string_view text);

/// Parses `text` as an ARN of `expected` type. Throws `ServiceError`
/// `InvalidArn` ("Invalid Arn: '<text>'") otherwise, AWS's "Invalid Arn:
/// 'Invalid ARN prefix: <text>'" when `text` does not start with `arn:`
/// (test_sfn_api recordings); for an express execution's
/// ARN where another type is expected, AWS's "Invalid Arn: 'Resource type not
/// valid in this context: express'" (recorded for DescribeExecution,
/// StopExecution and GetExecutionHistory).
Arn require_arn(std::string_view text, ArnType expected);

/// Throws `ServiceError` `InvalidArn` for `text`, in AWS's words: "Invalid Arn:
/// 'Invalid ARN prefix: <text>'" when it does not start with `arn:`, else
/// "Invalid Arn: '<text>'".
[[noreturn]] void throw_invalid_arn(std::string_view text);

/// True for a valid state machine, execution or activity name: 1..80
/// characters, none of them whitespace, brackets `<>{}[]`, wildcards `?*`,
/// `"#%\^|~`$&,;:/` or control characters (AWS API reference, `name`).
bool is_valid_name(std::string_view name);

/// Throws `ServiceError` `InvalidName` ("Invalid Name: '<name>'") unless valid.
void require_name(std::string_view name);

/// True for a valid state machine alias name: 1..80 of `[a-zA-Z0-9_.-]`, at
/// least one of them not a digit (so an alias never reads as a version).
bool is_valid_alias_name(std::string_view name);

}  // namespace loveless::engine
