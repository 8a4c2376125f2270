#include "loveless/asl/error_matching.hpp"

#include <string>

#include "loveless/asl/errors.hpp"

namespace loveless::asl {

namespace {

/// States.Runtime is never retried or caught, not even by a rule naming it
/// (recorded on AWS: a Catch on ["States.Runtime"] let a failed OutputPath end
/// the execution). States.DataLimitExceeded from a task result is caught by
/// States.ALL (recorded), whatever the prose documentation says.
bool is_terminal(std::string_view error) { return error == error_names::kRuntime; }

bool name_matches(std::string_view name, std::string_view error, bool heartbeat_expiry) {
  if (is_terminal(error)) return false;
  if (name == error) return true;
  if (heartbeat_expiry && name == error_names::kHeartbeatTimeout) return true;
  if (name == error_names::kAll) return !is_terminal(error);
  if (name == error_names::kTaskFailed) {
    return !is_terminal(error) && error != error_names::kTimeout &&
           error != error_names::kHeartbeatTimeout;
  }
  return false;
}

}  // namespace

bool error_equals_matches(const nlohmann::json& error_equals, std::string_view error,
                          bool heartbeat_expiry) {
  if (!error_equals.is_array()) return false;
  for (const nlohmann::json& name : error_equals) {
    if (name.is_string() &&
        name_matches(name.get_ref<const std::string&>(), error, heartbeat_expiry)) {
      return true;
    }
  }
  return false;
}

}  // namespace loveless::asl
