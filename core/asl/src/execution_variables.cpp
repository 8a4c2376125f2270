// Step Functions variables: Assign in both query languages, applied when a
// state exits (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).

#include <string>
#include <utility>

#include "loveless/asl/errors.hpp"

#include "execution_impl.hpp"
#include "json_text.hpp"

namespace loveless::asl {

namespace {

/// AWS's quotas: one variable's value, and all of one Assign together, at
/// most 256 KiB of JSON text; all of an execution's variables at most 10 MiB.
constexpr std::size_t kMaxVariableBytes = 262144;
constexpr std::size_t kMaxAssignBytes = 262144;
constexpr std::size_t kMaxVariablesBytes = 10485760;

}  // namespace

void Execution::Impl::prepare_assign(Run& run, const json& assign, const json* bindings,
                                     const json& data) {
  json values;
  if (bindings != nullptr) {
    values = evaluate_jsonata_template(run, assign, *bindings, "Assign");
  } else {
    values = evaluate_template(run, assign, data);
  }
  std::size_t total = 0;
  for (const auto& [name, value] : values.items()) {
    const std::size_t bytes = to_json_text(value).size();
    total += bytes;
    if (bytes > kMaxVariableBytes) {
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) + "The variable '" + name +
                            "' exceeds the maximum size of 256 KiB.");
    }
  }
  if (total > kMaxAssignBytes) {
    throw StatesError(
        std::string(error_names::kRuntime),
        state_error_prefix(run) +
            "The variables assigned by the state exceed the maximum size of 256 KiB.");
  }
  run.pending_assign = std::move(values);
}

json Execution::Impl::apply_assign(Run& run) {
  if (!run.pending_assign) return json();
  json values = std::move(*run.pending_assign);
  run.pending_assign.reset();
  json recorded = json::object();
  for (auto& [name, value] : values.items()) {
    recorded[name] = to_json_text(value);
    run.variables[name] = std::move(value);
  }
  if (to_json_text(run.variables).size() > kMaxVariablesBytes) {
    throw StatesError(std::string(error_names::kRuntime),
                      state_error_prefix(run) +
                          "The execution's variables exceed the maximum total size of 10 MiB.");
  }
  return recorded;
}

}  // namespace loveless::asl
