#include "loveless/asl/choice_rules.hpp"

#include <chrono>
#include <compare>
#include <cstdint>
#include <cstring>  // ::memmem (glibc)
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_path.hpp"
#include "loveless/timestamps/timestamps.hpp"

#include "path_cache.hpp"

namespace loveless::asl {

namespace {

using nlohmann::json;

enum class Type : std::uint8_t { kString, kNumeric, kBoolean, kTimestamp };
enum class Compare : std::uint8_t {
  kEquals,
  kLessThan,
  kGreaterThan,
  kLessThanEquals,
  kGreaterThanEquals
};
enum class Test : std::uint8_t {
  kIsNull,
  kIsPresent,
  kIsNumeric,
  kIsString,
  kIsBoolean,
  kIsTimestamp
};

/// What an operator key of a rule means.
struct Operator {
  enum class Kind : std::uint8_t { kCompare, kMatches, kTest };
  Kind kind = Kind::kCompare;
  Type type = Type::kString;
  Compare compare = Compare::kEquals;
  bool path = false;  // the `...Path` variant: the operand is a path into the input
  Test test = Test::kIsNull;
};

const std::unordered_map<std::string, Operator>& operators() {
  static const auto table = [] {
    std::unordered_map<std::string, Operator> t;
    const std::pair<std::string_view, Type> types[] = {{"String", Type::kString},
                                                       {"Numeric", Type::kNumeric},
                                                       {"Boolean", Type::kBoolean},
                                                       {"Timestamp", Type::kTimestamp}};
    const std::pair<std::string_view, Compare> compares[] = {
        {"Equals", Compare::kEquals},
        {"LessThan", Compare::kLessThan},
        {"GreaterThan", Compare::kGreaterThan},
        {"LessThanEquals", Compare::kLessThanEquals},
        {"GreaterThanEquals", Compare::kGreaterThanEquals}};
    for (const auto& [type_name, type] : types) {
      for (const auto& [compare_name, compare] : compares) {
        // ASL has BooleanEquals[Path] only.
        if (type == Type::kBoolean && compare != Compare::kEquals) continue;
        for (const bool path : {false, true}) {
          Operator op;
          op.kind = Operator::Kind::kCompare;
          op.type = type;
          op.compare = compare;
          op.path = path;
          t.emplace(std::string(type_name) + std::string(compare_name) + (path ? "Path" : ""), op);
        }
      }
    }
    Operator matches;
    matches.kind = Operator::Kind::kMatches;
    t.emplace("StringMatches", matches);
    const std::pair<std::string_view, Test> tests[] = {
        {"IsNull", Test::kIsNull},       {"IsPresent", Test::kIsPresent},
        {"IsNumeric", Test::kIsNumeric}, {"IsString", Test::kIsString},
        {"IsBoolean", Test::kIsBoolean}, {"IsTimestamp", Test::kIsTimestamp}};
    for (const auto& [name, test] : tests) {
      Operator op;
      op.kind = Operator::Kind::kTest;
      op.test = test;
      t.emplace(std::string(name), op);
    }
    return t;
  }();
  return table;
}

[[noreturn]] void runtime_error(const std::string& cause) {
  throw StatesError(std::string(error_names::kRuntime), cause);
}

[[noreturn]] void invalid_path(const std::string& path) {
  runtime_error("Invalid path '" + path +
                "': The choice state's condition path references an invalid value.");
}

/// The node at `text`, or nullopt when it does not exist.
std::optional<json> resolve(const std::string& text, const json& input, const json& context,
                            const json* variables) {
  JsonPath path = [&] {
    try {
      return cached_path(text);
    } catch (const JsonPathSyntaxError& e) {
      runtime_error(e.what());
    }
  }();
  if (!path.exists(input, context, variables)) return std::nullopt;
  return path.evaluate(input, context, variables);
}

/// Numbers ordered exactly when both are integers (no rounding of large
/// values through double), as doubles otherwise.
std::partial_ordering compare_numbers(const json& a, const json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    const bool a_unsigned = a.is_number_unsigned();
    const bool b_unsigned = b.is_number_unsigned();
    if (!a_unsigned && !b_unsigned) return a.get<std::int64_t>() <=> b.get<std::int64_t>();
    if (a_unsigned && b_unsigned) return a.get<std::uint64_t>() <=> b.get<std::uint64_t>();
    if (a_unsigned) {
      const std::int64_t bv = b.get<std::int64_t>();
      if (bv < 0) return std::partial_ordering::greater;
      return a.get<std::uint64_t>() <=> static_cast<std::uint64_t>(bv);
    }
    const std::int64_t av = a.get<std::int64_t>();
    if (av < 0) return std::partial_ordering::less;
    return static_cast<std::uint64_t>(av) <=> b.get<std::uint64_t>();
  }
  return a.get<double>() <=> b.get<double>();
}

bool holds(Compare compare, std::partial_ordering order) {
  switch (compare) {
    case Compare::kEquals:
      return order == 0;
    case Compare::kLessThan:
      return order < 0;
    case Compare::kGreaterThan:
      return order > 0;
    case Compare::kLessThanEquals:
      return order <= 0;
    case Compare::kGreaterThanEquals:
      return order >= 0;
  }
  return false;
}

/// A value of the wrong type makes the comparison false, as in AWS.
bool compare_values(const Operator& op, const json& variable, const json& operand) {
  switch (op.type) {
    case Type::kString:
      if (!variable.is_string() || !operand.is_string()) return false;
      return holds(op.compare, variable.get_ref<const std::string&>().compare(
                                   operand.get_ref<const std::string&>()) <=> 0);
    case Type::kNumeric:
      if (!variable.is_number() || !operand.is_number()) return false;
      return holds(op.compare, compare_numbers(variable, operand));
    case Type::kBoolean:
      if (!variable.is_boolean() || !operand.is_boolean()) return false;
      return variable.get<bool>() == operand.get<bool>();
    case Type::kTimestamp: {
      if (!variable.is_string() || !operand.is_string()) return false;
      const auto a = timestamps::parse_rfc3339(variable.get_ref<const std::string&>());
      const auto b = timestamps::parse_rfc3339(operand.get_ref<const std::string&>());
      if (!a || !b) return false;
      return holds(op.compare, *a <=> *b);
    }
  }
  return false;
}

/// StringMatches: `*` matches any run of characters (also none); a backslash
/// makes the next character literal (`\*`, `\\`). The pattern is split at
/// its stars into literal segments: the first must start the text, the last
/// end it, and each one between is found leftmost after the one before
/// (leftmost is always right when the only wildcard is `*`). glibc's memmem
/// (the two-way algorithm) keeps each search linear: a backtracking matcher
/// took minutes on a 120,000-character pattern, holding its execution the
/// whole time (and libstdc++'s Boyer-Moore builds its table in quadratic time).
bool wildcard_matches(std::string_view text, std::string_view pattern) {
  std::vector<std::string> segments(1);
  for (std::size_t p = 0; p < pattern.size(); ++p) {
    if (pattern[p] == '*') {
      segments.emplace_back();
    } else if (pattern[p] == '\\' && p + 1 < pattern.size()) {
      segments.back() += pattern[++p];
    } else {
      segments.back() += pattern[p];
    }
  }
  const std::string& first = segments.front();
  if (segments.size() == 1) return text == first;
  const std::string& last = segments.back();
  if (text.size() < first.size() + last.size() || !text.starts_with(first) ||
      !text.ends_with(last)) {
    return false;
  }
  // The window between the first and the last segment.
  std::string_view window = text.substr(first.size(), text.size() - first.size() - last.size());
  for (std::size_t i = 1; i + 1 < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (segment.empty()) continue;
    const void* found = ::memmem(window.data(), window.size(), segment.data(), segment.size());
    if (found == nullptr) return false;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(found) - window.data());
    window.remove_prefix(at + segment.size());
  }
  return true;
}

bool run_test(Test test, const std::optional<json>& variable) {
  if (test == Test::kIsPresent) return variable.has_value();
  const json& value = *variable;
  switch (test) {
    case Test::kIsNull:
      return value.is_null();
    case Test::kIsNumeric:
      return value.is_number();
    case Test::kIsString:
      return value.is_string();
    case Test::kIsBoolean:
      return value.is_boolean();
    case Test::kIsTimestamp:
      return value.is_string() &&
             timestamps::parse_rfc3339(value.get_ref<const std::string&>()).has_value();
    case Test::kIsPresent:
      break;
  }
  return false;
}

bool evaluate_rule(const json& rule, const json& input, const json& context, const json* variables);

bool evaluate_boolean_combinator(const json& rule, const json& input, const json& context,
                                 const json* variables, bool& matched) {
  if (const auto it = rule.find("And"); it != rule.end()) {
    matched = true;
    if (!it->is_array()) runtime_error("'And' must be an array of choice rules");
    for (const json& inner : *it) {
      if (!evaluate_rule(inner, input, context, variables)) return false;
    }
    return true;
  }
  if (const auto it = rule.find("Or"); it != rule.end()) {
    matched = true;
    if (!it->is_array()) runtime_error("'Or' must be an array of choice rules");
    for (const json& inner : *it) {
      if (evaluate_rule(inner, input, context, variables)) return true;
    }
    return false;
  }
  if (const auto it = rule.find("Not"); it != rule.end()) {
    matched = true;
    return !evaluate_rule(*it, input, context, variables);
  }
  matched = false;
  return false;
}

bool evaluate_rule(const json& rule, const json& input, const json& context,
                   const json* variables) {
  if (!rule.is_object()) runtime_error("A choice rule must be a JSON object");
  bool combinator = false;
  const bool result = evaluate_boolean_combinator(rule, input, context, variables, combinator);
  if (combinator) return result;

  const auto variable_it = rule.find("Variable");
  if (variable_it == rule.end() || !variable_it->is_string()) {
    runtime_error("A choice rule needs a 'Variable' path or one of And, Or, Not");
  }
  const Operator* op = nullptr;
  const json* operand = nullptr;
  const auto& table = operators();
  for (auto it = rule.begin(); it != rule.end(); ++it) {
    const auto found = table.find(it.key());
    if (found != table.end()) {
      op = &found->second;
      operand = &it.value();
      break;
    }
  }
  if (op == nullptr) runtime_error("The choice rule has no comparison operator");

  const auto& variable_path = variable_it->get_ref<const std::string&>();
  const std::optional<json> variable = resolve(variable_path, input, context, variables);

  if (op->kind == Operator::Kind::kTest) {
    if (!operand->is_boolean()) runtime_error("The value of a type test must be a boolean");
    if (op->test != Test::kIsPresent && !variable) invalid_path(variable_path);
    return run_test(op->test, variable) == operand->get<bool>();
  }
  if (!variable) invalid_path(variable_path);
  if (op->kind == Operator::Kind::kMatches) {
    if (!variable->is_string() || !operand->is_string()) return false;
    return wildcard_matches(variable->get_ref<const std::string&>(),
                            operand->get_ref<const std::string&>());
  }
  if (op->path) {
    if (!operand->is_string()) runtime_error("The value of a ...Path operator must be a path");
    const auto& operand_path = operand->get_ref<const std::string&>();
    const std::optional<json> other = resolve(operand_path, input, context, variables);
    if (!other) invalid_path(operand_path);
    return compare_values(*op, *variable, *other);
  }
  return compare_values(*op, *variable, *operand);
}

}  // namespace

bool evaluate_choice_rule(const json& rule, const json& input, const json& context,
                          const json* variables) {
  return evaluate_rule(rule, input, context, variables);
}

}  // namespace loveless::asl
