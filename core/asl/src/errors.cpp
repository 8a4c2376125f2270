#include "loveless/asl/errors.hpp"

#include <array>

#include <nlohmann/json.hpp>

namespace loveless::asl {

bool is_predefined_error(std::string_view name) {
  static constexpr std::array kNames = {
      error_names::kAll,
      error_names::kDataLimitExceeded,
      error_names::kHeartbeatTimeout,
      error_names::kTimeout,
      error_names::kTaskFailed,
      error_names::kPermissions,
      error_names::kResultPathMatchFailure,
      error_names::kParameterPathFailure,
      error_names::kBranchFailed,
      error_names::kNoChoiceMatched,
      error_names::kIntrinsicFailure,
      error_names::kExceedToleratedFailureThreshold,
      error_names::kRuntime,
      error_names::kQueryEvaluationError,
  };
  for (const std::string_view known : kNames) {
    if (known == name) return true;
  }
  return false;
}

std::string escape_pointer_token(std::string_view token) {
  // nlohmann's json_pointer escapes as RFC 6901 says; without the leading "/".
  return (nlohmann::json::json_pointer() / std::string(token)).to_string().substr(1);
}

}  // namespace loveless::asl
