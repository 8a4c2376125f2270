// JSONata in states whose QueryLanguage is JSONata: `{% ... %}` expressions in
// Arguments, Output, Assign and the other fields that accept them, evaluated
// with `$states` and the variables bound
// (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).

#include <string>
#include <string_view>
#include <utility>

#include "loveless/asl/errors.hpp"
#include "loveless/jsonata/evaluator.hpp"

#include "execution_impl.hpp"
#include "json_text.hpp"

namespace loveless::asl {

namespace detail {

bool is_jsonata_expression(const json& value) {
  return value.is_string() && is_jsonata_expression_text(value.get_ref<const std::string&>());
}

std::string jsonata_expression_text(const json& value) {
  const auto& text = value.get_ref<const std::string&>();
  std::string_view inner(text);
  inner = inner.substr(2, inner.size() - 4);
  while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.front())) != 0) {
    inner.remove_prefix(1);
  }
  while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.back())) != 0) {
    inner.remove_suffix(1);
  }
  return std::string(inner);
}

}  // namespace detail

json Execution::Impl::jsonata_bindings(const Run& run, const json* result,
                                       const json* error_output) const {
  json bindings = run.variables;
  json states = {{"input", run.input}, {"context", context}};
  if (result != nullptr) states["result"] = *result;
  if (error_output != nullptr) states["errorOutput"] = *error_output;
  bindings["states"] = std::move(states);
  return bindings;
}

StatesError Execution::Impl::query_failure(Run& run, const std::string& location,
                                           const std::string& why, bool link_entered) {
  std::string full_cause = state_error_prefix(run) + why;
  json details = {{"error", error_names::kQueryEvaluationError},
                  {"cause", full_cause},
                  {"state", state_of(run).name}};
  if (!location.empty()) details["location"] = location;
  // Recorded on AWS: EvaluationFailed links to the event before the state's
  // StateEntered, except for a Wait's fields, where it links to StateEntered.
  std::int64_t link = run.entered_event;
  const auto& events = events_of(run);
  if (!link_entered && run.entered_event > 0 &&
      static_cast<std::size_t>(run.entered_event) <= events.size()) {
    link = events[static_cast<std::size_t>(run.entered_event - 1)].previous_event_id;
  }
  run.last_event = record_to(run.events, link, "EvaluationFailed", "evaluationFailedEventDetails",
                             std::move(details));
  return {std::string(error_names::kQueryEvaluationError), std::move(full_cause)};
}

StatesError Execution::Impl::query_error(Run& run, const std::string& expression,
                                         const std::string& field, const std::string& problem) {
  // AWS's causes, as recorded: "The JSONata expression '<expression>'
  // specified for the field '<field>' <problem>".
  return query_failure(run, field,
                       "The JSONata expression '" + expression + "' specified for the field '" +
                           field + "' " + problem);
}

json Execution::Impl::evaluate_jsonata(Run& run, const json& value, const json& bindings,
                                       const std::string& field) {
  if (!detail::is_jsonata_expression(value)) return value;
  const std::string expression = detail::jsonata_expression_text(value);
  std::optional<json> result;
  try {
    result = jsonata::evaluate(expression, json(), bindings);
  } catch (const jsonata::EvaluationError& e) {
    if (e.code == "L0004") {
      throw query_error(run, expression, field, "returned an unsupported result type.");
    }
    throw query_error(run, expression, field,
                      "threw an error during evaluation. " + e.code + ": " + e.what());
  }
  if (!result) throw query_error(run, expression, field, "returned nothing (undefined).");
  return std::move(*result);
}

json Execution::Impl::evaluate_jsonata_template(Run& run, const json& node, const json& bindings,
                                                const std::string& field) {
  if (node.is_object()) {
    json out = json::object();
    for (const auto& [key, value] : node.items()) {
      out[key] = evaluate_jsonata_template(run, value, bindings, field + "/" + key);
    }
    return out;
  }
  if (node.is_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      out.push_back(
          evaluate_jsonata_template(run, node[i], bindings, field + "/" + std::to_string(i)));
    }
    return out;
  }
  return evaluate_jsonata(run, node, bindings, field);
}

json Execution::Impl::expect_jsonata_type(Run& run, const json& field_value, json value,
                                          const std::string& field, json::value_t expected,
                                          const char* expected_name) {
  const bool ok =
      expected == json::value_t::number_integer ? value.is_number() : value.type() == expected;
  if (ok) return value;
  const std::string problem = std::string("returned an unexpected result type. Expected '") +
                              expected_name + "', but was '" + json_type_name(value) +
                              "' for value: " + to_json_text(value);
  if (detail::is_jsonata_expression(field_value)) {
    throw query_error(run, detail::jsonata_expression_text(field_value), field, problem);
  }
  throw query_failure(run, field, "The field '" + field + "' " + problem);
}

json Execution::Impl::jsonata_output(Run& run, const json* output_field, const json& bindings,
                                     json fallback) {
  if (output_field == nullptr) return fallback;
  return evaluate_jsonata_template(run, *output_field, bindings, "Output");
}

std::int64_t Execution::Impl::jsonata_whole_number(Run& run, const json& field_value,
                                                   const json& bindings, const char* field,
                                                   bool allow_zero) {
  const json value =
      expect_jsonata_type(run, field_value, evaluate_jsonata(run, field_value, bindings, field),
                          field, json::value_t::number_integer, "number");
  const auto number = as_whole_seconds(value, allow_zero);
  if (!number) {
    throw query_error(run, detail::jsonata_expression_text(field_value), field,
                      std::string("returned an unexpected result type. Expected a ") +
                          (allow_zero ? "non-negative" : "positive") +
                          " integer, but was: " + to_json_text(value));
  }
  return *number;
}

}  // namespace loveless::asl
