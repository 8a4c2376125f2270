// TestState's `context`: a whole context object given by the caller, checked
// as AWS checks it (recorded in LocalStack's test_state_context_object
// snapshots).

#include "test_state_context.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "loveless/asl/json_document.hpp"
#include "loveless/engine/service_error.hpp"

namespace loveless::engine {
namespace {

[[noreturn]] void throw_invalid_context(const std::string& why) {
  throw ServiceError("ValidationException", "Invalid Context object provided: " + why);
}

enum class MemberType { kString, kInteger, kAny };

struct AllowedMember {
  std::string_view object;
  std::string_view member;
  MemberType type;
};

/// AWS's context object members (what an execution's `$$` holds, less Map).
constexpr std::array<AllowedMember, 11> kAllowed = {{
    {"Execution", "Id", MemberType::kString},
    {"Execution", "Input", MemberType::kAny},
    {"Execution", "Name", MemberType::kString},
    {"Execution", "RoleArn", MemberType::kString},
    {"Execution", "StartTime", MemberType::kString},
    {"State", "EnteredTime", MemberType::kString},
    {"State", "Name", MemberType::kString},
    {"State", "RetryCount", MemberType::kInteger},
    {"StateMachine", "Id", MemberType::kString},
    {"StateMachine", "Name", MemberType::kString},
    {"Task", "Token", MemberType::kString},
}};

bool is_allowed_object(std::string_view name) {
  return std::any_of(kAllowed.begin(), kAllowed.end(),
                     [&](const AllowedMember& allowed) { return allowed.object == name; });
}

void check_member(const std::string& object, const std::string& member,
                  const nlohmann::json& value) {
  for (const auto& allowed : kAllowed) {
    if (allowed.object != object || allowed.member != member) continue;
    const std::string where = object + "." + member;
    if (allowed.type == MemberType::kString && !value.is_string()) {
      throw_invalid_context(where + " must be a string");
    }
    if (allowed.type == MemberType::kInteger && !value.is_number_integer() &&
        !value.is_number_unsigned()) {
      throw_invalid_context(where + " must be an integer");
    }
    return;
  }
  throw_invalid_context("Field '" + member + "' is not allowed");
}

}  // namespace

nlohmann::json parse_test_state_context(const std::string& text) {
  nlohmann::json context;
  try {
    context = asl::parse_json_document(text);
  } catch (const asl::JsonDocumentError& e) {
    throw_invalid_context(std::string("not valid JSON: ") + e.what());
  }
  if (!context.is_object()) throw_invalid_context("the context must be a JSON object");
  for (const auto& [name, value] : context.items()) {
    if (name == "Map") {
      throw_invalid_context("'Map' field is not supported when mocking a Context object");
    }
    if (!is_allowed_object(name)) throw_invalid_context("Field '" + name + "' is not allowed");
    if (!value.is_object()) throw_invalid_context(name + " must be a JSON object");
    for (const auto& [member, member_value] : value.items()) {
      check_member(name, member, member_value);
    }
  }
  return context;
}

void check_context_task(const nlohmann::json& context, const std::string& state_type,
                        const std::string& resource) {
  if (!context.contains("Task")) return;
  const bool callback = state_type == "Task" && (resource.ends_with(".waitForTaskToken") ||
                                                 resource.find(".sync") != std::string::npos);
  if (!callback) {
    throw_invalid_context(
        "Context object contains 'Task' when state is not a Task state with a '.sync' or "
        "'.waitForTaskToken' service integration pattern");
  }
}

}  // namespace loveless::engine
