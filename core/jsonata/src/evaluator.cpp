#include "loveless/jsonata/evaluator.hpp"

#include <cstdint>
#include <stdexcept>
#include <utility>

#include "heap_pool.hpp"
#include "utf8_repair.hpp"

namespace loveless::jsonata {
namespace {

using detail::HeapPool;

// JSON text for a heap, ASCII only: Duktape reads raw UTF-8 as whole code
// points, where JavaScript (and so jsonata: $length, $substring) sees UTF-16
// code units; \u escapes give it the surrogate pairs JavaScript has.
std::string ascii_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

constexpr std::uint64_t kExactIntegers = std::uint64_t{1} << 53U;

bool inexact_integer(const nlohmann::json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>() > kExactIntegers;
  if (value.is_number_integer()) {
    const auto number = value.get<std::int64_t>();
    return number > static_cast<std::int64_t>(kExactIntegers) ||
           number < -static_cast<std::int64_t>(kExactIntegers);
  }
  if (value.is_structured()) {
    for (const auto& element : value) {
      if (inexact_integer(element)) return true;
    }
  }
  return false;
}

nlohmann::json with_integers_as_doubles(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<double>();
  if (value.is_array()) {
    nlohmann::json copy = nlohmann::json::array();
    for (const auto& element : value) copy.push_back(with_integers_as_doubles(element));
    return copy;
  }
  if (value.is_object()) {
    nlohmann::json copy = nlohmann::json::object();
    for (const auto& [key, element] : value.items()) copy[key] = with_integers_as_doubles(element);
    return copy;
  }
  return value;
}

// Input for a heap. Duktape's JSON.parse rounds some integers beyond 2^53
// the wrong way (9007199254740993 to ...994, where JavaScript engines give
// ...992): those go as the nearest double, which C++ rounds right, and whose
// shortest form Duktape reads exactly. Values without one are not copied.
std::string heap_json(const nlohmann::json& value) {
  return inexact_integer(value) ? ascii_json(with_integers_as_doubles(value)) : ascii_json(value);
}

// The prelude's error line "E{code, message, position}" as the exception.
EvaluationError error_from_line(std::string_view line) {
  const nlohmann::json error =
      nlohmann::json::parse(detail::repair_utf8(line.substr(1)), nullptr, false);
  if (!error.is_object()) return {"L0003", "JSONata evaluator failure: " + std::string(line), -1};
  return {error.value("code", std::string("L0003")), error.value("message", std::string()),
          error.value("position", std::int64_t{-1})};
}

}  // namespace

void set_limits(const Limits& limits) {
  if (limits.time.count() <= 0 || limits.memory_bytes == 0 || limits.depth < 1) {
    throw std::invalid_argument(
        "jsonata::set_limits: the time and memory bounds must be positive and the depth at least "
        "1");
  }
  HeapPool::instance().set_limits(limits);
}

Limits limits() { return HeapPool::instance().limits(); }

std::optional<nlohmann::json> evaluate(std::string_view expression, const nlohmann::json& input,
                                       const nlohmann::json& bindings) {
  if (!bindings.is_object() && !bindings.is_null()) {
    throw std::invalid_argument(
        "jsonata::evaluate: bindings must be a JSON object (name -> value)");
  }
  const std::string expression_json = ascii_json(std::string(expression));
  const std::string input_json = heap_json(input);
  const std::string bindings_json = bindings.is_null() ? std::string("{}") : heap_json(bindings);
  std::string line;
  {
    HeapPool::Lease lease = HeapPool::instance().acquire();
    line = lease.heap().call("__loveless_evaluate", expression_json, input_json, bindings_json,
                             lease.limits().time);
  }
  if (line == "U") return std::nullopt;
  if (!line.empty() && line[0] == 'V') {
    return nlohmann::json::parse(detail::repair_utf8(std::string_view(line).substr(1)));
  }
  throw error_from_line(line);
}

std::optional<EvaluationError> check_syntax(std::string_view expression) {
  const std::string expression_json = ascii_json(std::string(expression));
  std::string line;
  {
    HeapPool::Lease lease = HeapPool::instance().acquire();
    line =
        lease.heap().call("__loveless_check_syntax", expression_json, {}, {}, lease.limits().time);
  }
  if (line.empty()) return std::nullopt;
  return error_from_line(line);
}

}  // namespace loveless::jsonata
