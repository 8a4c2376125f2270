#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "loveless/error_with_cause.hpp"

namespace loveless::asl {

/// The predefined error names of the Amazon States Language
/// (https://states-language.net/#appendix-a-predefined-error-codes and the
/// Step Functions developer guide, "Error handling").
namespace error_names {
inline constexpr std::string_view kAll = "States.ALL";
inline constexpr std::string_view kDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr std::string_view kHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr std::string_view kTimeout = "States.Timeout";
inline constexpr std::string_view kTaskFailed = "States.TaskFailed";
inline constexpr std::string_view kPermissions = "States.Permissions";
inline constexpr std::string_view kResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr std::string_view kParameterPathFailure = "States.ParameterPathFailure";
inline constexpr std::string_view kBranchFailed = "States.BranchFailed";
inline constexpr std::string_view kNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr std::string_view kIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr std::string_view kExceedToleratedFailureThreshold =
    "States.ExceedToleratedFailureThreshold";
inline constexpr std::string_view kRuntime = "States.Runtime";
/// A JSONata expression failed or gave a value its field cannot take.
inline constexpr std::string_view kQueryEvaluationError = "States.QueryEvaluationError";
}  // namespace error_names

/// True when `name` is one of the predefined `States.*` error names above.
bool is_predefined_error(std::string_view name);

/// A runtime error raised while an execution evaluates a state: a path that
/// matches nothing, an intrinsic that fails, a result too large. `error` is the
/// ASL error name (`States.Runtime`, `States.IntrinsicFailure`, ...) that Retry
/// and Catch match against; `cause` is the human-readable message AWS would put
/// in the `cause` field of the failure event.
class StatesError : public ErrorWithCause {
 public:
  using ErrorWithCause::ErrorWithCause;
};

/// Escapes one reference token of a JSON pointer (RFC 6901: `~` -> `~0`,
/// `/` -> `~1`), as the paths of `InvalidDefinition` are written.
std::string escape_pointer_token(std::string_view token);

/// A state machine definition that breaks an ASL rule. `path()` is a JSON
/// pointer into the definition (`/States/Work/Retry/0`), `rule()` says which rule
/// is broken; `what()` is `"<path>: <rule>"`, the text the engine returns in
/// the `InvalidDefinition` error message.
class InvalidDefinition : public std::runtime_error {
 public:
  InvalidDefinition(std::string path, std::string rule)
      : std::runtime_error(path + ": " + rule), path_(std::move(path)), rule_(std::move(rule)) {}

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const std::string& rule() const noexcept { return rule_; }

 private:
  std::string path_;
  std::string rule_;
};

}  // namespace loveless::asl
