#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// TestState's `context` member (JSON text): the context object the tested
/// state sees as `$$` / `$states.context`, replacing the one TestState makes.
/// Its members are AWS's: Execution {Id, Input, Name, RoleArn, StartTime},
/// State {EnteredTime, Name, RetryCount}, StateMachine {Id, Name} and Task
/// {Token}; any may be left out. Throws ServiceError ValidationException
/// "Invalid Context object provided: ..." with AWS's recorded reasons
/// ("Field 'X' is not allowed", "'Map' field is not supported when mocking a
/// Context object", "Execution.Id must be a string").
nlohmann::json parse_test_state_context(const std::string& text);

/// AWS's rule, as recorded: a context with a Task (its token) is for a Task
/// state with a `.sync` or `.waitForTaskToken` integration only. Throws
/// ValidationException otherwise.
void check_context_task(const nlohmann::json& context, const std::string& state_type,
                        const std::string& resource);

}  // namespace loveless::engine
