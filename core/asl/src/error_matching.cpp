#include "loveless/asl/error_matching.hpp"

#include <string>

#include "loveless/asl/errors.hpp"

namespace loveless::asl {

namespace {

/// Terminal errors: AWS lets only a rule that names them exactly see them.
bool is_terminal(std::string_view error) {
  return error == error_names::kRuntime || error == error_names::kDataLimitExceeded;
}

bool name_matches(std::string_view name, std::string_view error, bool heartbeat_expiry) {
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
