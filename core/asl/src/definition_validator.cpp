#include "definition_validator.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/asl/errors.hpp"
#include "loveless/asl/integration_resource.hpp"
#include "loveless/asl/intrinsics.hpp"
#include "loveless/asl/json_path.hpp"
#include "loveless/jsonata/evaluator.hpp"
#include "loveless/timestamps/timestamps.hpp"

#include "json_text.hpp"

// Rules follow the Amazon States Language specification
// (https://states-language.net) and the Step Functions developer guide
// ("Amazon States Language", "States", "Error handling", "Input and output
// processing"), restricted to the JSONPath query language.
//
// Where AWS's behaviour is not documented, these choices were made:
// - integers must be JSON integers (`10.0` is rejected for TimeoutSeconds);
// - Parameters, ResultSelector, ItemSelector and Credentials must be objects;
// - Resource must be an ARN (`arn:...`), as CreateStateMachine demands;
// - HeartbeatSeconds is compared with TimeoutSeconds only when both are given;
// - a ResultPath into the context object (`$$`) is rejected;
// - state names are unique across nested state machines, as the ASL
//   specification says, and a field given twice in one object is rejected;
// - a distributed Map (ProcessorConfig Mode DISTRIBUTED) runs; ItemReader
//   and ResultWriter, which read and write Amazon S3, are reported as
//   unsupported by the local engine rather than as invalid; Label and
//   ItemBatcher on an inline Map are rejected (they belong to a Map Run);
// - a JSONPath-only field in a JSONata state gets the message AWS gives for
//   the reverse case (measured, floci-io/floci issue #2968) with the
//   languages swapped; `Result` is JSONPath-only;
// - variable names follow AWS's rule for Assign keys: a letter or `_`, then
//   letters, digits and `_`, at most 80 characters; `states` is reserved.

namespace loveless::asl::detail {

std::string nesting_rule() {
  return "the definition is nested deeper than " + std::to_string(kMaxDefinitionDepth) + " levels";
}

namespace {

using Json = nlohmann::ordered_json;

// AWS caps every seconds-valued field (TimeoutSeconds, HeartbeatSeconds,
// IntervalSeconds, Wait Seconds) and MaxAttempts at this value.
constexpr std::int64_t kMaxSeconds = 99999999;
// The developer guide bounds a retrier's MaxDelaySeconds below one year plus a day.
constexpr std::int64_t kMaxDelaySeconds = 31622400;
constexpr std::size_t kMaxStateNameLength = 80;

/// A JSON pointer (RFC 6901) into the definition, built while descending.
class Pointer {
 public:
  [[nodiscard]] Pointer operator/(std::string_view token) const {
    Pointer child = *this;
    child.text_ += '/';
    child.text_ += escape_pointer_token(token);
    return child;
  }
  [[nodiscard]] Pointer operator/(std::size_t index) const { return *this / std::to_string(index); }
  // The whole document is "" in RFC 6901; errors about it say "/" so that the
  // message never starts with a bare colon.
  [[nodiscard]] std::string str() const { return text_.empty() ? "/" : text_; }

 private:
  std::string text_;
};

[[noreturn]] void fail(const Pointer& at, std::string rule) {
  throw InvalidDefinition(at.str(), std::move(rule));
}

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

/// AWS's schema message for absent fields: "These fields are required: [States, StartAt]".
std::string required_fields_rule(const std::vector<std::string_view>& names) {
  std::string list;
  for (const auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
  return "These fields are required: [" + list + "]";
}

/// Number of Unicode characters in UTF-8 text (continuation bytes not counted).
std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

bool contains(const std::vector<std::string_view>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// ---------------------------------------------------------------------------
// Scalars

void check_string(const Json& value, const Pointer& at, std::string_view field) {
  if (!value.is_string()) fail(at, std::string(field) + " must be a string");
}

void check_integer(const Json& value, const Pointer& at, std::string_view field, std::int64_t min,
                   std::int64_t max) {
  const std::string kind = min == 0 ? "a non-negative integer" : "a positive integer";
  const std::string rule =
      std::string(field) + " must be " + kind + " (at most " + std::to_string(max) + ")";
  if (!value.is_number_integer()) fail(at, rule);
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) fail(at, rule);
    if (value.get<std::uint64_t>() < static_cast<std::uint64_t>(min)) fail(at, rule);
    return;
  }
  const auto number = value.get<std::int64_t>();
  if (number < min || number > max) fail(at, rule);
}

void check_query_language(const Json& value, const Pointer& at) {
  if (value == "JSONPath" || value == "JSONata") return;
  fail(at, "QueryLanguage must be 'JSONPath' or 'JSONata'");
}

bool is_expression(const Json& value) {
  return value.is_string() && is_jsonata_expression_text(value.get_ref<const std::string&>());
}

/// A JSONata expression string must compile.
void check_expression(const Json& value, const Pointer& at) {
  if (!is_expression(value)) return;
  const auto& text = value.get_ref<const std::string&>();
  if (auto error = jsonata::check_syntax(std::string_view(text).substr(2, text.size() - 4))) {
    fail(at, "invalid JSONata expression " + in_quotes(text) + ": " + error->code + ": " +
                 error->what());
  }
}

/// Every JSONata expression in a JSON value (Arguments, Output, Assign, ...).
void check_expressions(const Json& value, const Pointer& at, std::size_t depth) {
  if (depth > kMaxDefinitionDepth) fail(at, nesting_rule());
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) check_expressions(member, at / key, depth + 1);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) check_expressions(value[i], at / i, depth + 1);
  } else {
    check_expression(value, at);
  }
}

/// An integer field of a JSONata state: a literal in range or an expression.
void check_integer_or_expression(const Json& value, const Pointer& at, std::string_view field,
                                 std::int64_t min, std::int64_t max, bool jsonata);

/// The actions of the optimized integrations whose whole list is known
/// (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html).
/// A service not listed here is not checked: rejecting a valid definition
/// would be worse than accepting an unknown action.
struct OptimizedService {
  std::string_view service;
  std::array<std::string_view, 4> actions;
};

constexpr std::array<OptimizedService, 8> kOptimizedServices = {{
    {"lambda", {"invoke"}},
    {"dynamodb", {"getItem", "putItem", "updateItem", "deleteItem"}},
    {"sns", {"publish"}},
    {"sqs", {"sendMessage"}},
    {"events", {"putEvents"}},
    {"states", {"startExecution"}},
    {"apigateway", {"invoke"}},
    {"http", {"invoke"}},
}};

/// `arn:<partition>:states:::<service>:<action>[.<pattern>]` of a listed
/// service must name one of its actions: AWS rejects the rest at creation
/// (recorded: dynamodb:query).
void check_optimized_integration(const std::string& resource, const Pointer& at) {
  const auto integration = parse_integration_resource(resource);
  if (!integration || integration->action.empty()) return;
  const auto service = integration->service;
  const auto action = integration->action;
  for (const auto& known : kOptimizedServices) {
    if (known.service != service) continue;
    if (std::find(known.actions.begin(), known.actions.end(), action) != known.actions.end()) {
      return;
    }
    fail(at, "The resource provided " + resource +
                 " is not recognized. The value is not a valid resource ARN, or the resource is "
                 "not available in this region.");
  }
}

/// A Map Run's Label (AWS: at most 40 characters, none of whitespace,
/// brackets, wildcards, the listed punctuation or control characters).
void check_map_run_label(const Json& value, const Pointer& at) {
  if (!value.is_string()) fail(at, "Label must be a string");
  const auto& label = value.get_ref<const std::string&>();
  if (label.empty() || label.size() > 40) fail(at, "Label must be 1 to 40 characters long");
  constexpr std::string_view kForbidden = " \t\n\r<>{}[]?*\"#%\\^|~`$&,;:/";
  for (const char c : label) {
    if (kForbidden.find(c) != std::string_view::npos || static_cast<unsigned char>(c) < 0x20 ||
        c == 0x7f) {
      fail(at, "Label " + in_quotes(label) +
                   " holds a character a Map Run label cannot: whitespace, brackets, ? * \" # % "
                   "\\ ^ | ~ ` $ & , ; : / or a control character");
    }
  }
}

JsonPath compile_path(const std::string& text, const Pointer& at);

/// A distributed Map's ItemReader or ResultWriter, where accepted (TestState):
/// an object naming its `Resource`; nothing it reads or writes is checked.
void check_s3_item_io(const Json& value, const Pointer& at, const std::string& field) {
  if (!value.is_object()) fail(at, field + " must be a JSON object");
  const auto resource = value.find("Resource");
  if (resource == value.end() || !resource->is_string()) {
    fail(at, field + " needs a Resource string");
  }
}

/// A distributed Map's ItemBatcher: MaxItemsPerBatch, MaxInputBytesPerBatch
/// (at most 256 KiB), their `*Path` forms and BatchInput.
void check_item_batcher(const Json& value, const Pointer& at, bool jsonata) {
  if (!value.is_object()) fail(at, "ItemBatcher must be a JSON object");
  for (const auto& [field, member] : value.items()) {
    const Pointer field_at = at / field;
    if (field == "MaxItemsPerBatch") {
      check_integer_or_expression(member, field_at, field, 1,
                                  std::numeric_limits<std::int32_t>::max(), jsonata);
    } else if (field == "MaxInputBytesPerBatch") {
      check_integer_or_expression(member, field_at, field, 1, 262144, jsonata);
    } else if ((field == "MaxItemsPerBatchPath" || field == "MaxInputBytesPerBatchPath") &&
               !jsonata) {
      if (!member.is_string()) fail(field_at, field + " must be a path string");
      const JsonPath path = compile_path(member.get<std::string>(), field_at);
      if (!path.is_reference_path()) fail(field_at, field + " must be a reference path");
    } else if (field == "BatchInput") {
      if (jsonata) {
        check_expressions(member, field_at, 0);
      } else if (!member.is_object()) {
        fail(field_at, "BatchInput must be a JSON object");
      }
    } else {
      fail(field_at, "field " + in_quotes(field) + " is not supported in ItemBatcher");
    }
  }
  const bool items = value.contains("MaxItemsPerBatch") || value.contains("MaxItemsPerBatchPath");
  const bool bytes =
      value.contains("MaxInputBytesPerBatch") || value.contains("MaxInputBytesPerBatchPath");
  if (!items && !bytes) {
    fail(at, "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or a *Path of them)");
  }
  if (value.contains("MaxItemsPerBatch") && value.contains("MaxItemsPerBatchPath")) {
    fail(at, "MaxItemsPerBatch and MaxItemsPerBatchPath are mutually exclusive");
  }
  if (value.contains("MaxInputBytesPerBatch") && value.contains("MaxInputBytesPerBatchPath")) {
    fail(at, "MaxInputBytesPerBatch and MaxInputBytesPerBatchPath are mutually exclusive");
  }
}

bool is_variable_name(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  if (std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

void check_timestamp(const Json& value, const Pointer& at, std::string_view field) {
  if (!value.is_string()) {
    fail(at, std::string(field) +
                 " must be a string holding an RFC 3339 timestamp such as '2016-03-14T01:59:00Z'");
  }
  // The ASL profile of RFC 3339: uppercase T and Z, a zone always present.
  // AWS's wording, as recorded.
  if (!timestamps::parse_rfc3339(value.get_ref<const std::string&>())) {
    fail(at, "String does not match RFC3339 timestamp");
  }
}

// ---------------------------------------------------------------------------
// Paths and payload templates

enum class PathKind {
  kPath,           // any JSONPath (InputPath, OutputPath, Variable, values under `.$`)
  kReferencePath,  // names exactly one node (ResultPath, *Path fields)
};

JsonPath compile_path(const std::string& text, const Pointer& at) {
  try {
    return JsonPath::compile(text);
  } catch (const JsonPathSyntaxError& error) {
    fail(at, in_quotes(text) + " is not a valid path: " + error.what());
  }
}

void check_path(const Json& value, const Pointer& at, std::string_view field, PathKind kind,
                bool nullable) {
  if (value.is_null() && nullable) return;
  if (!value.is_string()) {
    fail(at,
         std::string(field) + (nullable ? " must be a path or null" : " must be a path string"));
  }
  const auto& text = value.get_ref<const std::string&>();
  const JsonPath path = compile_path(text, at);
  if (kind == PathKind::kReferencePath && !path.is_reference_path()) {
    fail(at, std::string(field) + " must be a reference path (one that names a single node); " +
                 in_quotes(text) + " is not");
  }
}

void check_result_path(const Json& value, const Pointer& at) {
  check_path(value, at, "ResultPath", PathKind::kReferencePath, true);
  if (value.is_string() &&
      !JsonPath::compile(value.get_ref<const std::string&>()).variable().empty()) {
    fail(at, "ResultPath cannot refer to a variable");
  }
  // ResultPath places the result inside the state's input; the context object
  // is read-only, so a `$$` ResultPath has nowhere to write.
  if (value.is_string() && JsonPath::compile(value.get_ref<const std::string&>()).is_context()) {
    fail(at, "ResultPath cannot refer to the context object ('$$')");
  }
}

void check_intrinsic(const std::string& text, const Pointer& at) {
  try {
    validate_intrinsic_call(text);
  } catch (const std::invalid_argument& error) {
    fail(at, "invalid intrinsic function call: " + std::string(error.what()));
  }
}

// The value under a `.$` key, ErrorPath and CausePath: a path or an intrinsic call.
void check_path_or_intrinsic(const Json& value, const Pointer& at, std::string_view field,
                             PathKind kind) {
  if (!value.is_string()) {
    fail(at, std::string(field) + " must be a string holding a path or an intrinsic function");
  }
  const auto& text = value.get_ref<const std::string&>();
  if (is_intrinsic_call(text)) {
    check_intrinsic(text, at);
    return;
  }
  check_path(value, at, field, kind, false);
}

bool ends_with_dollar(std::string_view key) {
  return key.size() >= 2 && key.substr(key.size() - 2) == ".$";
}

void check_template_value(const Json& value, const Pointer& at, std::size_t depth);

/// A payload template's or a JSONPath Assign's `key.$` value: a path or an
/// intrinsic call. AWS names the field and points at the object holding it
/// (recorded); what exactly is wrong is left out, as AWS leaves it out.
void check_dynamic_field(const std::string& key, const Json& value, const Pointer& object_at) {
  bool valid = value.is_string();
  if (valid) {
    const auto& text = value.get_ref<const std::string&>();
    try {
      if (is_intrinsic_call(text)) {
        validate_intrinsic_call(text);
      } else {
        JsonPath::compile(text);
      }
    } catch (const std::invalid_argument&) {
      valid = false;
    } catch (const JsonPathSyntaxError&) {
      valid = false;
    }
  }
  if (!valid) {
    fail(object_at, "The value for the field " + in_quotes(key) +
                        " must be a valid JSONPath or a valid intrinsic function call");
  }
}

void check_template_object(const Json& object, const Pointer& at, std::size_t depth) {
  for (const auto& [key, value] : object.items()) {
    const Pointer child = at / key;
    if (ends_with_dollar(key)) {
      check_dynamic_field(key, value, at);
    } else {
      check_template_value(value, child, depth + 1);
    }
  }
}

void check_template_value(const Json& value, const Pointer& at, std::size_t depth) {
  if (depth > kMaxDefinitionDepth) fail(at, nesting_rule());
  if (value.is_object()) {
    check_template_object(value, at, depth);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      check_template_value(value[i], at / i, depth + 1);
    }
  }
}

void check_payload_template(const Json& value, const Pointer& at, std::string_view field) {
  if (!value.is_object()) fail(at, std::string(field) + " must be a JSON object");
  check_template_object(value, at, 1);
}

/// Assign: an object whose keys name variables; in JSONPath a key ending in
/// `.$` takes a path or an intrinsic, in JSONata values may be expressions.
void check_assign(const Json& value, const Pointer& at, bool jsonata) {
  if (!value.is_object()) fail(at, "Assign must be a JSON object");
  for (const auto& [key, member] : value.items()) {
    const Pointer child = at / key;
    const bool dynamic = !jsonata && ends_with_dollar(key);
    const std::string name = dynamic ? key.substr(0, key.size() - 2) : key;
    if (!is_variable_name(name) || name == "states") {
      fail(child, in_quotes(name) +
                      " is not a valid variable name: use a letter or '_', then letters, digits "
                      "and '_' (at most 80 characters); 'states' is reserved");
    }
    if (dynamic) {
      check_dynamic_field(key, member, at);
    } else if (jsonata) {
      check_expressions(member, child, 1);
    } else {
      check_template_value(member, child, 1);
    }
  }
}

// ---------------------------------------------------------------------------
// Choice rules

constexpr std::array<std::string_view, 6> kStringOperators{
    "StringEquals",         "StringLessThan",          "StringGreaterThan",
    "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches"};
constexpr std::array<std::string_view, 5> kNumericOperators{
    "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals",
    "NumericGreaterThanEquals"};
constexpr std::array<std::string_view, 5> kTimestampOperators{
    "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals",
    "TimestampGreaterThanEquals"};
constexpr std::array<std::string_view, 17> kPathOperators{"StringEqualsPath",
                                                          "StringLessThanPath",
                                                          "StringGreaterThanPath",
                                                          "StringLessThanEqualsPath",
                                                          "StringGreaterThanEqualsPath",
                                                          "NumericEqualsPath",
                                                          "NumericLessThanPath",
                                                          "NumericGreaterThanPath",
                                                          "NumericLessThanEqualsPath",
                                                          "NumericGreaterThanEqualsPath",
                                                          "BooleanEqualsPath",
                                                          "TimestampEqualsPath",
                                                          "TimestampLessThanPath",
                                                          "TimestampGreaterThanPath",
                                                          "TimestampLessThanEqualsPath",
                                                          "TimestampGreaterThanEqualsPath",
                                                          "StringMatchesPath"};
constexpr std::array<std::string_view, 7> kBooleanOperators{
    "BooleanEquals", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool is_comparison_operator(std::string_view name) {
  return in(kStringOperators, name) || in(kNumericOperators, name) ||
         in(kTimestampOperators, name) || in(kPathOperators, name) || in(kBooleanOperators, name);
}

void check_comparison_value(std::string_view op, const Json& value, const Pointer& at) {
  const std::string name(op);
  if (in(kStringOperators, op)) {
    if (!value.is_string()) fail(at, name + " must be a string");
  } else if (in(kNumericOperators, op)) {
    if (!value.is_number()) fail(at, name + " must be a number");
  } else if (in(kTimestampOperators, op)) {
    check_timestamp(value, at, name);
  } else if (in(kPathOperators, op)) {
    check_path(value, at, name, PathKind::kReferencePath, false);
  } else if (!value.is_boolean()) {
    fail(at, name + " must be a boolean");
  }
}

// ---------------------------------------------------------------------------
// The validator

enum class MachineKind { kTop, kBranch, kIterator, kItemProcessor };

std::string_view machine_label(MachineKind kind) {
  switch (kind) {
    case MachineKind::kTop:
      return "a state machine";
    case MachineKind::kBranch:
      return "a Parallel branch";
    case MachineKind::kIterator:
      return "a Map Iterator";
    case MachineKind::kItemProcessor:
      return "a Map ItemProcessor";
  }
  return "a state machine";
}

constexpr std::array<std::string_view, 8> kStateTypes{"Task",    "Pass", "Choice",   "Wait",
                                                      "Succeed", "Fail", "Parallel", "Map"};

/// The fields of a Task state.
const std::vector<std::string_view>& task_fields() {
  static const std::vector<std::string_view> kTask{"Type",
                                                   "Comment",
                                                   "QueryLanguage",
                                                   "Next",
                                                   "End",
                                                   "InputPath",
                                                   "OutputPath",
                                                   "Parameters",
                                                   "ResultSelector",
                                                   "ResultPath",
                                                   "Retry",
                                                   "Catch",
                                                   "Resource",
                                                   "TimeoutSeconds",
                                                   "TimeoutSecondsPath",
                                                   "HeartbeatSeconds",
                                                   "HeartbeatSecondsPath",
                                                   "Credentials",
                                                   "Assign",
                                                   "Arguments",
                                                   "Output"};
  return kTask;
}

/// The fields of a Map state (distributed Map's among them).
const std::vector<std::string_view>& map_fields() {
  static const std::vector<std::string_view> kMap{"Type",
                                                  "Comment",
                                                  "QueryLanguage",
                                                  "Next",
                                                  "End",
                                                  "InputPath",
                                                  "OutputPath",
                                                  "ItemsPath",
                                                  "ItemProcessor",
                                                  "Iterator",
                                                  "ItemSelector",
                                                  "Parameters",
                                                  "MaxConcurrency",
                                                  "MaxConcurrencyPath",
                                                  "ResultSelector",
                                                  "ResultPath",
                                                  "Retry",
                                                  "Catch",
                                                  "ToleratedFailurePercentage",
                                                  "ToleratedFailurePercentagePath",
                                                  "ToleratedFailureCount",
                                                  "ToleratedFailureCountPath",
                                                  "ItemReader",
                                                  "ItemBatcher",
                                                  "ResultWriter",
                                                  "Label",
                                                  "Assign",
                                                  "Items",
                                                  "Output"};
  return kMap;
}

/// Fields each state type accepts (in either query language), from the
/// "States" chapter of the developer guide; `language_rule` below says which
/// of them belong to one language only.
const std::vector<std::string_view>& allowed_fields(std::string_view type) {
  if (type == "Task") return task_fields();
  if (type == "Pass") {
    static const std::vector<std::string_view> kPass{
        "Type",       "Comment",    "QueryLanguage", "Next",   "End",    "InputPath",
        "OutputPath", "Parameters", "ResultPath",    "Result", "Assign", "Output"};
    return kPass;
  }
  if (type == "Choice") {
    static const std::vector<std::string_view> kChoice{"Type",      "Comment",    "QueryLanguage",
                                                       "InputPath", "OutputPath", "Choices",
                                                       "Default",   "Assign",     "Output"};
    return kChoice;
  }
  if (type == "Wait") {
    static const std::vector<std::string_view> kWait{
        "Type",          "Comment",    "QueryLanguage", "Next",      "End",
        "InputPath",     "OutputPath", "Seconds",       "Timestamp", "SecondsPath",
        "TimestampPath", "Assign",     "Output"};
    return kWait;
  }
  if (type == "Succeed") {
    static const std::vector<std::string_view> kSucceed{"Type",      "Comment",    "QueryLanguage",
                                                        "InputPath", "OutputPath", "Output"};
    return kSucceed;
  }
  if (type == "Fail") {
    static const std::vector<std::string_view> kFail{
        "Type", "Comment", "QueryLanguage", "Error", "ErrorPath", "Cause", "CausePath"};
    return kFail;
  }
  if (type == "Parallel") {
    static const std::vector<std::string_view> kParallel{
        "Type",       "Comment",    "QueryLanguage",  "Next",       "End",   "InputPath",
        "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
        "Branches",   "Assign",     "Arguments",      "Output"};
    return kParallel;
  }
  return map_fields();
}

/// Fields of one query language only: the JSONPath fields JSONata replaces,
/// and the JSONata ones.
bool is_jsonpath_only(std::string_view field) {
  static const std::vector<std::string_view> kFields{"InputPath",
                                                     "OutputPath",
                                                     "Parameters",
                                                     "ResultSelector",
                                                     "ResultPath",
                                                     "Result",
                                                     "ItemsPath",
                                                     "TimeoutSecondsPath",
                                                     "HeartbeatSecondsPath",
                                                     "SecondsPath",
                                                     "TimestampPath",
                                                     "MaxConcurrencyPath",
                                                     "ErrorPath",
                                                     "CausePath",
                                                     "ToleratedFailurePercentagePath",
                                                     "ToleratedFailureCountPath"};
  return contains(kFields, field);
}

bool is_jsonata_only(std::string_view field) {
  return field == "Arguments" || field == "Output" || field == "Items" || field == "Condition";
}

/// AWS's message for a field of the other query language (measured for
/// JSONata fields in JSONPath states, floci-io/floci issue #2968).
std::string language_rule(std::string_view field, bool jsonata) {
  const char* state_language = jsonata ? "JSONata" : "JSONPath";
  const char* field_language = jsonata ? "JSONPath" : "JSONata";
  return std::string("The QueryLanguage is set to '") + state_language + "', but field '" +
         std::string(field) + "' is only supported for the '" + field_language + "' QueryLanguage";
}

/// The states of one state machine (the top level, a Parallel branch or a Map
/// iterator). Transitions resolve only against it: a Next can neither leave a
/// branch nor enter one.
struct Scope {
  const Json* states = nullptr;  // null when States is absent or not an object

  [[nodiscard]] bool has(const std::string& name) const {
    return states != nullptr && states->contains(name);
  }
};

class Validator {
 public:
  explicit Validator(DefinitionOptions options) : options_(options) {}

  void validate(const Json& document) {
    if (const auto language = document.find("QueryLanguage"); language != document.end()) {
      top_jsonata_ = *language == "JSONata";
    }
    validate_machine(document, Pointer{}, MachineKind::kTop, 0);
  }

 private:
  void validate_machine(const Json& machine, const Pointer& at, MachineKind kind,
                        std::size_t depth);
  void validate_processor_config(const Json& config, const Pointer& at);
  void validate_state(const std::string& name, const Json& state, const Pointer& at,
                      const Scope& scope, std::size_t depth);
  void validate_state_field(std::string_view type, const std::string& field, const Json& value,
                            const Pointer& at, const Scope& scope, std::size_t depth);
  /// Retry, Catch, Choices, Branches and the Map processor: false for other fields.
  bool validate_nested_field(const std::string& field, const Json& value, const Pointer& at,
                             const Scope& scope, std::size_t depth);
  void check_state_constraints(std::string_view type, const Json& state, const Pointer& at);
  void validate_handlers(const Json& handlers, const Pointer& at, bool catchers,
                         const Scope& scope);
  void validate_error_equals(const Json& errors, const Pointer& at, const Pointer& handler_at,
                             bool last, bool catchers);
  void validate_choice_rule(const Json& rule, const Pointer& at, bool top_level, const Scope& scope,
                            std::size_t depth);
  static void validate_jsonata_choice_rule(const Json& rule, const Pointer& at, const Scope& scope);
  static void check_transition(const Json& value, const Pointer& at, std::string_view field,
                               const Scope& scope);
  static void check_reachability(const Json& start_at, const Scope& scope,
                                 const Pointer& states_at);

  // State names are unique across the whole state machine, nested ones included
  // (states-language.net, "States").
  std::set<std::string> state_names_;
  /// The state machine's QueryLanguage is JSONata: every state inherits it,
  /// also those inside a Parallel or Map (measured, floci-io/floci #2968).
  bool top_jsonata_ = false;
  DefinitionOptions options_;
  /// The language of the state being validated.
  bool jsonata_ = false;
};

void Validator::check_transition(const Json& value, const Pointer& at, std::string_view field,
                                 const Scope& scope) {
  if (!value.is_string()) fail(at, std::string(field) + " must be a state name (a string)");
  const auto& target = value.get_ref<const std::string&>();
  if (!scope.has(target)) fail(at, "no state named " + in_quotes(target));
}

void Validator::validate_machine(const Json& machine, const Pointer& at, MachineKind kind,
                                 std::size_t depth) {
  if (depth > kMaxDefinitionDepth) fail(at, nesting_rule());
  if (!machine.is_object()) fail(at, std::string(machine_label(kind)) + " must be a JSON object");

  Scope scope;
  // An empty or malformed States is reported where it appears, not as a
  // StartAt that names nothing.
  if (const auto states = machine.find("States");
      states != machine.end() && states->is_object() && !states->empty()) {
    scope.states = &*states;
  }

  for (const auto& [field, value] : machine.items()) {
    const Pointer field_at = at / field;
    if (field == "StartAt") {
      check_string(value, field_at, "StartAt");
      // Without a States object the missing-States error says more.
      if (scope.states != nullptr) check_transition(value, field_at, "StartAt", scope);
    } else if (field == "States") {
      if (!value.is_object()) fail(field_at, "States must be a JSON object");
      if (value.empty()) fail(field_at, "States must contain at least one state");
      for (const auto& [name, state] : value.items()) {
        const Pointer state_at = field_at / name;
        const std::size_t length = utf8_length(name);
        if (length < 1 || length > kMaxStateNameLength) {
          fail(state_at, "a state name must be 1 to 80 characters long");
        }
        if (!state_names_.insert(name).second) {
          fail(state_at, "state name " + in_quotes(name) + " is used more than once");
        }
        validate_state(name, state, state_at, scope, depth + 1);
      }
    } else if (field == "Comment") {
      check_string(value, field_at, "Comment");
    } else if (field == "Version" && kind == MachineKind::kTop) {
      if (value != "1.0") fail(field_at, "Version must be '1.0'");
    } else if (field == "TimeoutSeconds" && kind == MachineKind::kTop) {
      check_integer(value, field_at, "TimeoutSeconds", 1, kMaxSeconds);
    } else if (field == "QueryLanguage" && kind == MachineKind::kTop) {
      check_query_language(value, field_at);
    } else if (field == "ProcessorConfig" &&
               (kind == MachineKind::kItemProcessor || kind == MachineKind::kIterator)) {
      // Recorded on AWS: a legacy Iterator with ProcessorConfig runs.

      validate_processor_config(value, field_at);
    } else {
      fail(field_at, "field " + in_quotes(field) + " is not supported in " +
                         std::string(machine_label(kind)));
    }
  }

  const auto start_at = machine.find("StartAt");
  // AWS names every missing field at once, States first (test_sfn_api_validation).
  std::vector<std::string_view> missing;
  if (scope.states == nullptr) missing.emplace_back("States");
  if (start_at == machine.end()) missing.emplace_back("StartAt");
  if (!missing.empty()) fail(at, required_fields_rule(missing));
  check_reachability(*start_at, scope, at / "States");
}

void Validator::validate_processor_config(const Json& config, const Pointer& at) {
  if (!config.is_object()) fail(at, "ProcessorConfig must be a JSON object");
  for (const auto& [field, value] : config.items()) {
    const Pointer field_at = at / field;
    if (field == "Mode") {
      if (value != "INLINE" && value != "DISTRIBUTED") {
        fail(field_at, "Mode must be 'INLINE' or 'DISTRIBUTED'");
      }
    } else if (field == "ExecutionType") {
      if (value != "STANDARD" && value != "EXPRESS") {
        fail(field_at, "ExecutionType must be 'STANDARD' or 'EXPRESS'");
      }
    } else {
      fail(field_at, "field " + in_quotes(field) + " is not supported in ProcessorConfig");
    }
  }
  const bool distributed = config.value("Mode", Json("INLINE")) == "DISTRIBUTED";
  if (distributed && !config.contains("ExecutionType")) {
    fail(at, "a distributed Map needs ProcessorConfig ExecutionType ('STANDARD' or 'EXPRESS')");
  }
  if (!distributed && config.contains("ExecutionType")) {
    fail(at / "ExecutionType", "ExecutionType applies only to Mode 'DISTRIBUTED'");
  }
}

void Validator::check_reachability(const Json& start_at, const Scope& scope,
                                   const Pointer& states_at) {
  std::set<std::string> reached;
  std::deque<std::string> pending{start_at.get<std::string>()};
  const auto visit = [&](const Json& target) {
    if (target.is_string()) pending.push_back(target.get<std::string>());
  };
  while (!pending.empty()) {
    const std::string name = std::move(pending.front());
    pending.pop_front();
    if (!reached.insert(name).second) continue;
    const Json& state = scope.states->at(name);
    if (const auto next = state.find("Next"); next != state.end()) visit(*next);
    if (const auto fallback = state.find("Default"); fallback != state.end()) visit(*fallback);
    for (const char* list : {"Choices", "Catch"}) {
      if (const auto items = state.find(list); items != state.end()) {
        for (const auto& item : *items) visit(item.at("Next"));
      }
    }
  }
  for (const auto& [name, state] : scope.states->items()) {
    if (!reached.contains(name)) {
      fail(states_at / name, "state " + in_quotes(name) + " is not reachable");
    }
  }
}

void Validator::validate_state(const std::string& name, const Json& state, const Pointer& at,
                               const Scope& scope, std::size_t depth) {
  if (!state.is_object()) fail(at, "state " + in_quotes(name) + " must be a JSON object");
  // The type decides which fields are allowed, so it is checked before the
  // other fields wherever it appears.
  const auto type_it = state.find("Type");
  if (type_it == state.end()) fail(at, "These fields are required: [Type]");
  if (!type_it->is_string() || !in(kStateTypes, type_it->get_ref<const std::string&>())) {
    // AWS's wording, as recorded.
    fail(at / "Type",
         "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, "
         "Choice, Parallel, Map]");
  }
  const std::string& type = type_it->get_ref<const std::string&>();
  const auto language = state.find("QueryLanguage");
  if (language != state.end()) check_query_language(*language, at / "QueryLanguage");
  if (top_jsonata_ && language != state.end() && *language == "JSONPath") {
    fail(at, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
  }
  const bool jsonata = language != state.end() ? *language == "JSONata" : top_jsonata_;

  for (const auto& [field, value] : state.items()) {
    const Pointer field_at = at / field;
    if (!contains(allowed_fields(type), field) || (field == "Assign" && type == "Fail") ||
        (field == "Arguments" && type != "Task" && type != "Parallel")) {
      fail(field_at, "field " + in_quotes(field) + " is not supported in a " + type + " state");
    }
    if ((jsonata && is_jsonpath_only(field)) || (!jsonata && is_jsonata_only(field))) {
      fail(field_at, language_rule(field, jsonata));
    }
    jsonata_ = jsonata;
    validate_state_field(type, field, value, field_at, scope, depth);
  }
  jsonata_ = jsonata;
  check_state_constraints(type, state, at);
}

/// The fields that take JSONata expressions (and Assign, in both languages).
/// False when `field` is none of them.
bool check_expression_field(const std::string& field, const Json& value, const Pointer& at,
                            bool jsonata) {
  if (field == "Comment" || field == "Error" || field == "Cause") {
    check_string(value, at, field);
    if (jsonata) check_expression(value, at);
    return true;
  }
  if (field == "Assign") {
    check_assign(value, at, jsonata);
    return true;
  }
  if (field == "Output") {
    check_expressions(value, at, 1);
    return true;
  }
  const bool items = field == "Items";
  if (field == "Arguments" || items || (field == "ItemSelector" && jsonata)) {
    if (!value.is_object() && !(items && value.is_array()) && !is_expression(value)) {
      fail(at, field + (items ? " must be an array" : " must be a JSON object") +
                   " or a JSONata expression ('{% ... %}')");
    }
    check_expressions(value, at, 1);
    return true;
  }
  return false;
}

bool Validator::validate_nested_field(const std::string& field, const Json& value,
                                      const Pointer& at, const Scope& scope, std::size_t depth) {
  if (field == "Retry" || field == "Catch") {
    validate_handlers(value, at, field == "Catch", scope);
    return true;
  }
  if (field == "Choices") {
    if (!value.is_array() || value.empty()) {
      fail(at, "Choices must be a non-empty array of Choice rules");
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      validate_choice_rule(value[i], at / i, true, scope, depth + 1);
    }
    return true;
  }
  if (field == "Branches") {
    if (!value.is_array()) fail(at, "Branches must be a non-empty array of state machines");
    if (value.empty()) fail(at, "Value cannot be empty");  // AWS's wording, as recorded
    for (std::size_t i = 0; i < value.size(); ++i) {
      validate_machine(value[i], at / i, MachineKind::kBranch, depth + 1);
    }
    return true;
  }
  if (field == "ItemProcessor" || field == "Iterator") {
    validate_machine(value, at,
                     field == "Iterator" ? MachineKind::kIterator : MachineKind::kItemProcessor,
                     depth + 1);
    return true;
  }
  return false;
}

void Validator::validate_state_field(std::string_view type, const std::string& field,
                                     const Json& value, const Pointer& at, const Scope& scope,
                                     std::size_t depth) {
  if (field == "Type" || field == "QueryLanguage") return;
  if (check_expression_field(field, value, at, jsonata_)) return;
  if (validate_nested_field(field, value, at, scope, depth)) return;
  if (field == "Next" || field == "Default") return check_transition(value, at, field, scope);
  if (field == "End") {
    if (value != true) fail(at, "End must be true");
    return;
  }
  if (field == "InputPath" || field == "OutputPath") {
    return check_path(value, at, field, PathKind::kPath, true);
  }
  if (field == "ResultPath") return check_result_path(value, at);
  if (field == "Parameters" || field == "ResultSelector" || field == "ItemSelector") {
    return check_payload_template(value, at, field);
  }
  if (field == "Credentials") {
    check_payload_template(value, at, field);
    if (!value.contains("RoleArn") && !value.contains("RoleArn.$")) {
      fail(at, "The field 'RoleArn' is required but was missing");  // AWS's wording, recorded
    }
    return;
  }
  if (field == "Result") return;
  if (field == "Resource") {
    if (!value.is_string() || !value.get_ref<const std::string&>().starts_with("arn:")) {
      fail(at, "Resource must be an ARN (a string starting with 'arn:')");
    }
    return check_optimized_integration(value.get_ref<const std::string&>(), at);
  }
  if (field == "TimeoutSeconds" || field == "HeartbeatSeconds") {
    return check_integer_or_expression(value, at, field, 1, kMaxSeconds, jsonata_);
  }
  if (field == "Seconds") {
    return check_integer_or_expression(value, at, field, 0, kMaxSeconds, jsonata_);
  }
  if (field == "MaxConcurrency") {
    return check_integer_or_expression(value, at, field, 0,
                                       std::numeric_limits<std::int32_t>::max(), jsonata_);
  }
  if (field == "ToleratedFailureCount") {
    return check_integer_or_expression(value, at, field, 0,
                                       std::numeric_limits<std::int32_t>::max(), jsonata_);
  }
  if (field == "TimeoutSecondsPath" || field == "HeartbeatSecondsPath" || field == "SecondsPath" ||
      field == "TimestampPath" || field == "ItemsPath" || field == "MaxConcurrencyPath" ||
      field == "ToleratedFailurePercentagePath" || field == "ToleratedFailureCountPath") {
    return check_path(value, at, field, PathKind::kReferencePath, false);
  }
  if (field == "ErrorPath" || field == "CausePath") {
    return check_path_or_intrinsic(value, at, field, PathKind::kReferencePath);
  }
  if (field == "Timestamp") {
    if (jsonata_ && is_expression(value)) return check_expression(value, at);
    return check_timestamp(value, at, field);
  }
  if (field == "ToleratedFailurePercentage") {
    if (jsonata_ && is_expression(value)) return check_expression(value, at);
    if (!value.is_number() || value.get<double>() < 0.0 || value.get<double>() > 100.0) {
      fail(at, "ToleratedFailurePercentage must be a number from 0 to 100");
    }
    return;
  }
  if (field == "ItemReader" || field == "ResultWriter") {
    if (options_.allow_s3_item_io) return check_s3_item_io(value, at, field);
    fail(at, field +
                 " reads or writes Amazon S3, which the local engine does not have: give a "
                 "distributed Map its items in the state input (ItemsPath or Items) and take its "
                 "results from the state output");
  }
  if (field == "Label") return check_map_run_label(value, at);
  if (field == "ItemBatcher") return check_item_batcher(value, at, jsonata_);
  // Every field of allowed_fields() is handled above.
  fail(at, "field " + in_quotes(field) + " is not supported in a " + std::string(type) + " state");
}

void Validator::check_state_constraints(std::string_view type, const Json& state,
                                        const Pointer& at) {
  const auto has = [&](const char* field) { return state.contains(field); };
  const auto exclusive = [&](const char* first, const char* second) {
    if (has(first) && has(second)) {
      fail(at, std::string(first) + " and " + second + " are mutually exclusive");
    }
  };

  if (type == "Task") {
    if (!has("Resource")) fail(at, "These fields are required: [Resource]");
    exclusive("TimeoutSeconds", "TimeoutSecondsPath");
    exclusive("HeartbeatSeconds", "HeartbeatSecondsPath");
    if (has("HeartbeatSeconds") && has("TimeoutSeconds") &&
        state.at("HeartbeatSeconds").is_number() && state.at("TimeoutSeconds").is_number() &&
        state.at("HeartbeatSeconds").get<std::int64_t>() >=
            state.at("TimeoutSeconds").get<std::int64_t>()) {
      fail(at / "HeartbeatSeconds", "HeartbeatSeconds must be smaller than TimeoutSeconds");
    }
  } else if (type == "Choice") {
    if (!has("Choices")) fail(at, "These fields are required: [Choices]");
  } else if (type == "Wait") {
    const int count = static_cast<int>(has("Seconds")) + static_cast<int>(has("Timestamp")) +
                      static_cast<int>(has("SecondsPath")) + static_cast<int>(has("TimestampPath"));
    if (count != 1) {
      fail(at,
           "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath and TimestampPath");
    }
  } else if (type == "Fail") {
    exclusive("Error", "ErrorPath");
    exclusive("Cause", "CausePath");
  } else if (type == "Parallel") {
    if (!has("Branches")) fail(at, "These fields are required: [Branches]");
  } else if (type == "Map") {
    if (has("ItemProcessor") == has("Iterator")) {
      fail(at, "a Map state needs exactly one of ItemProcessor and Iterator");
    }
    exclusive("Items", "ItemsPath");
    exclusive("ItemSelector", "Parameters");
    exclusive("MaxConcurrency", "MaxConcurrencyPath");
    exclusive("ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    exclusive("ToleratedFailureCount", "ToleratedFailureCountPath");
    const Json& processor = has("ItemProcessor") ? state.at("ItemProcessor") : state.at("Iterator");
    const bool distributed = processor.is_object() && processor.contains("ProcessorConfig") &&
                             processor.at("ProcessorConfig").is_object() &&
                             processor.at("ProcessorConfig").value("Mode", Json()) == "DISTRIBUTED";
    for (const char* field : {"Label", "ItemBatcher"}) {
      if (has(field) && !distributed) {
        fail(at / field, std::string(field) +
                             " applies only to a distributed Map (ProcessorConfig Mode "
                             "'DISTRIBUTED')");
      }
    }
  }

  const bool terminal = type == "Choice" || type == "Succeed" || type == "Fail";
  if (!terminal) {
    if (has("Next") && has("End")) fail(at, "a state cannot have both 'Next' and 'End'");
    if (!has("Next") && !has("End")) {
      fail(at, "a " + std::string(type) + " state needs 'Next' or 'End'");
    }
  }
}

void Validator::validate_handlers(const Json& handlers, const Pointer& at, bool catchers,
                                  const Scope& scope) {
  const std::string noun = catchers ? "catcher" : "retrier";
  if (!handlers.is_array()) {
    fail(at, std::string(catchers ? "Catch" : "Retry") + " must be an array of " + noun + "s");
  }
  for (std::size_t i = 0; i < handlers.size(); ++i) {
    const Json& handler = handlers[i];
    const Pointer handler_at = at / i;
    if (!handler.is_object()) fail(handler_at, "a " + noun + " must be a JSON object");
    for (const auto& [field, value] : handler.items()) {
      const Pointer field_at = handler_at / field;
      if (field == "ErrorEquals") {
        validate_error_equals(value, field_at, handler_at, i + 1 == handlers.size(), catchers);
      } else if (field == "Comment") {
        check_string(value, field_at, field);
      } else if (catchers && field == "Next") {
        check_transition(value, field_at, field, scope);
      } else if (catchers && field == "ResultPath") {
        if (jsonata_) fail(field_at, language_rule(field, true));
        check_result_path(value, field_at);
      } else if (catchers && field == "Output") {
        if (!jsonata_) fail(field_at, language_rule(field, false));
        check_expressions(value, field_at, 1);
      } else if (catchers && field == "Assign") {
        check_assign(value, field_at, jsonata_);
      } else if (!catchers && field == "IntervalSeconds") {
        check_integer(value, field_at, field, 1, kMaxSeconds);
      } else if (!catchers && field == "MaxAttempts") {
        check_integer(value, field_at, field, 0, kMaxSeconds);
      } else if (!catchers && field == "MaxDelaySeconds") {
        check_integer(value, field_at, field, 1, kMaxDelaySeconds);
      } else if (!catchers && field == "BackoffRate") {
        if (!value.is_number() || value.get<double>() < 1.0) {
          fail(field_at, "BackoffRate must be a number >= 1.0");
        }
      } else if (!catchers && field == "JitterStrategy") {
        if (value != "FULL" && value != "NONE") {
          fail(field_at, "JitterStrategy must be 'FULL' or 'NONE'");
        }
      } else {
        fail(field_at, "field " + in_quotes(field) + " is not supported in a " + noun);
      }
    }
    std::vector<std::string_view> missing;
    if (!handler.contains("ErrorEquals")) missing.emplace_back("ErrorEquals");
    if (catchers && !handler.contains("Next")) missing.emplace_back("Next");
    if (!missing.empty()) fail(handler_at, required_fields_rule(missing));
  }
}

void Validator::validate_error_equals(const Json& errors, const Pointer& at,
                                      const Pointer& handler_at, bool last, bool catchers) {
  if (!errors.is_array() || errors.empty()) {
    fail(at, "ErrorEquals must be a non-empty array of error names");
  }
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const Json& error = errors[i];
    if (!error.is_string() || error.get_ref<const std::string&>().empty()) {
      fail(at / i, "an error name must be a non-empty string");
    }
    const auto& name = error.get_ref<const std::string&>();
    if (name == error_names::kAll) {
      if (errors.size() != 1 || !last) {
        fail(handler_at, std::string("States.ALL must be alone and in the last ") +
                             (catchers ? "catcher" : "retrier"));
      }
    } else if (name.starts_with("States.") && !is_predefined_error(name)) {
      fail(at / i,
           in_quotes(name) +
               " is not a predefined error; custom error names must not start with 'States.'");
    }
  }
}

void Validator::validate_choice_rule(const Json& rule, const Pointer& at, bool top_level,
                                     const Scope& scope, std::size_t depth) {
  if (depth > kMaxDefinitionDepth) fail(at, nesting_rule());
  if (!rule.is_object()) fail(at, "a Choice rule must be a JSON object");
  const char* combinator = nullptr;
  bool comparison = false;
  int operators = 0;
  if (jsonata_) return validate_jsonata_choice_rule(rule, at, scope);
  for (const auto& [field, value] : rule.items()) {
    const Pointer field_at = at / field;
    if (field == "Next") {
      if (!top_level) fail(field_at, "a Choice rule nested in And, Or or Not cannot have 'Next'");
      check_transition(value, field_at, field, scope);
    } else if (field == "Comment") {
      check_string(value, field_at, field);
    } else if (field == "Assign" && top_level) {
      check_assign(value, field_at, false);
    } else if (field == "Condition" || field == "Output") {
      fail(field_at, language_rule(field, false));
    } else if (field == "Variable") {
      check_path(value, field_at, field, PathKind::kPath, false);
    } else if (field == "And" || field == "Or" || field == "Not" || is_comparison_operator(field)) {
      if (++operators > 1) {
        fail(field_at, "a Choice rule must have exactly one operator; " + in_quotes(field) +
                           " is a second one");
      }
      if (field == "And" || field == "Or") {
        combinator = field == "And" ? "And" : "Or";
        if (!value.is_array() || value.empty()) {
          fail(field_at, field + " must be a non-empty array of Choice rules");
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
          validate_choice_rule(value[i], field_at / i, false, scope, depth + 1);
        }
      } else if (field == "Not") {
        combinator = "Not";
        if (!value.is_object()) fail(field_at, "Not must be a Choice rule (a JSON object)");
        validate_choice_rule(value, field_at, false, scope, depth + 1);
      } else {
        comparison = true;
        check_comparison_value(field, value, field_at);
      }
    } else {
      fail(field_at, "field " + in_quotes(field) + " is not supported in a Choice rule");
    }
  }
  if (operators == 0) fail(at, "a Choice rule needs an operator: And, Or, Not or a comparison");
  if (comparison && !rule.contains("Variable")) fail(at, "These fields are required: [Variable]");
  if (combinator != nullptr && rule.contains("Variable")) {
    fail(at / "Variable",
         std::string("a Choice rule using ") + combinator + " cannot have a Variable");
  }
  if (top_level && !rule.contains("Next")) fail(at, "These fields are required: [Next]");
}

void Validator::validate_jsonata_choice_rule(const Json& rule, const Pointer& at,
                                             const Scope& scope) {
  // A JSONata Choice rule: Condition (a boolean or an expression), Next, and
  // optionally Assign, Output, Comment.
  if (!rule.is_object()) fail(at, "a Choice rule must be a JSON object");
  for (const auto& [field, value] : rule.items()) {
    const Pointer field_at = at / field;
    if (field == "Next") {
      check_transition(value, field_at, field, scope);
    } else if (field == "Comment") {
      check_string(value, field_at, field);
    } else if (field == "Condition") {
      if (!value.is_boolean() && !is_expression(value)) {
        fail(field_at, "Condition must be a boolean or a JSONata expression ('{% ... %}')");
      }
      check_expression(value, field_at);
    } else if (field == "Assign") {
      check_assign(value, field_at, true);
    } else if (field == "Output") {
      check_expressions(value, field_at, 1);
    } else if (field == "Variable" || field == "And" || field == "Or" || field == "Not" ||
               is_comparison_operator(field)) {
      fail(field_at, language_rule(field, true));
    } else {
      fail(field_at, "field " + in_quotes(field) + " is not supported in a Choice rule");
    }
  }
  std::vector<std::string_view> missing;
  if (!rule.contains("Condition")) missing.emplace_back("Condition");
  if (!rule.contains("Next")) missing.emplace_back("Next");
  if (!missing.empty()) fail(at, required_fields_rule(missing));
}

void check_integer_or_expression(const Json& value, const Pointer& at, std::string_view field,
                                 std::int64_t min, std::int64_t max, bool jsonata) {
  if (jsonata && is_expression(value)) return check_expression(value, at);
  check_integer(value, at, field, min, max);
}

}  // namespace

void validate_ordered_definition(const nlohmann::ordered_json& document,
                                 DefinitionOptions options) {
  Validator{options}.validate(document);
}

}  // namespace loveless::asl::detail
