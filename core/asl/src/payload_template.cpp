#include "loveless/asl/payload_template.hpp"

#include <string>
#include <string_view>

#include "loveless/asl/errors.hpp"
#include "loveless/asl/intrinsics.hpp"
#include "loveless/asl/json_path.hpp"

#include "json_text.hpp"
#include "path_cache.hpp"

namespace loveless::asl {

namespace {

using nlohmann::json;

constexpr std::string_view kDynamicSuffix = ".$";

bool is_dynamic_key(const std::string& key) {
  return key.size() >= kDynamicSuffix.size() &&
         std::string_view(key).substr(key.size() - kDynamicSuffix.size()) == kDynamicSuffix;
}

json evaluate_dynamic(const std::string& key, const json& expression, const json& input,
                      const json& context, const json* variables, RandomSource& random) {
  if (!expression.is_string()) {
    throw StatesError(std::string(error_names::kRuntime),
                      "The value for the field '" + key +
                          "' must be a valid JSONPath or a valid intrinsic function call");
  }
  const auto& text = expression.get_ref<const std::string&>();
  if (is_intrinsic_call(text)) return evaluate_intrinsic(text, input, context, random, variables);
  JsonPath path = [&] {
    try {
      return cached_path(text);
    } catch (const JsonPathSyntaxError& e) {
      throw StatesError(
          std::string(error_names::kRuntime),
          "The value for the field '" + key +
              "' must be a valid JSONPath or a valid intrinsic function call: " + e.what());
    }
  }();
  try {
    return path.evaluate(input, context, variables);
  } catch (const JsonPathNoMatch& e) {
    if (!path.variable().empty() &&
        (variables == nullptr || !variables->contains(path.variable()))) {
      throw StatesError(std::string(error_names::kRuntime), e.what());
    }
    // Recorded on AWS: States.Runtime, quoting the state's input even for a
    // `$$.` path (the interpreter adds the state prefix).
    throw StatesError(std::string(error_names::kRuntime),
                      "The JSONPath '" + text + "' specified for the field '" + key +
                          "' could not be found in the input '" + to_json_text(input) + "'");
  }
}

json evaluate_node(const json& node, const json& input, const json& context, const json* variables,
                   RandomSource& random) {
  if (node.is_object()) {
    json out = json::object();
    for (const auto& [key, value] : node.items()) {
      if (is_dynamic_key(key)) {
        out[key.substr(0, key.size() - kDynamicSuffix.size())] =
            evaluate_dynamic(key, value, input, context, variables, random);
      } else {
        out[key] = evaluate_node(value, input, context, variables, random);
      }
    }
    return out;
  }
  if (node.is_array()) {
    json out = json::array();
    out.get_ref<json::array_t&>().reserve(node.size());
    for (const json& item : node)
      out.push_back(evaluate_node(item, input, context, variables, random));
    return out;
  }
  return node;
}

}  // namespace

json evaluate_payload_template(const json& payload_template, const json& input, const json& context,
                               RandomSource& random, const json* variables) {
  return evaluate_node(payload_template, input, context, variables, random);
}

}  // namespace loveless::asl
