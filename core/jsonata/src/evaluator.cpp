#include "loveless/jsonata/evaluator.hpp"

#include <cstdint>
#include <stdexcept>
#include <utility>

#include "heap_pool.hpp"

namespace loveless::jsonata {
namespace {

using detail::HeapPool;

// JSON text for a context: UTF-8 (SpiderMonkey decodes it to the UTF-16
// JavaScript has), invalid UTF-8 in a string replaced by U+FFFD. Integers go
// as their digits: JSON.parse rounds those beyond 2^53 as JavaScript does.
std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// JSON.stringify writes a lone surrogate as a \u escape, which is no
// character: each becomes U+FFFD, as SpiderMonkey's UTF-8 encoder makes a raw
// one.
std::string without_lone_surrogates(std::string text) {
  if (text.find("\\ud") == std::string::npos && text.find("\\uD") == std::string::npos) {
    return text;
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    if (text[at] != '\\' || at + 1 >= text.size()) {
      out += text[at++];
      continue;
    }
    if (text[at + 1] == 'u' && at + 6 <= text.size() &&
        (text[at + 2] == 'd' || text[at + 2] == 'D') &&
        std::string_view("89abcdefABCDEF").find(text[at + 3]) != std::string_view::npos) {
      out += "\xEF\xBF\xBD";
      at += 6;
      continue;
    }
    out.append(text, at, 2);  // any other escape, kept whole
    at += 2;
  }
  return out;
}

// The prelude's error line "E{code, message, position}" as the exception.
EvaluationError error_from_line(std::string_view line) {
  const nlohmann::json error =
      nlohmann::json::parse(without_lone_surrogates(std::string(line.substr(1))), nullptr, false);
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
  const std::string expression_json = json_text(std::string(expression));
  const std::string input_json = json_text(input);
  const std::string bindings_json = bindings.is_null() ? std::string("{}") : json_text(bindings);
  const std::string line = HeapPool::instance().run([&](detail::Heap& heap, const Limits& bounds) {
    return heap.call("__loveless_evaluate", expression_json, input_json, bindings_json,
                     bounds.time);
  });
  if (line == "U") return std::nullopt;
  if (!line.empty() && line[0] == 'V') {
    return nlohmann::json::parse(without_lone_surrogates(line.substr(1)));
  }
  throw error_from_line(line);
}

std::optional<EvaluationError> check_syntax(std::string_view expression) {
  const std::string expression_json = json_text(std::string(expression));
  const std::string line = HeapPool::instance().run([&](detail::Heap& heap, const Limits& bounds) {
    return heap.call("__loveless_check_syntax", expression_json, {}, {}, bounds.time);
  });
  if (line.empty()) return std::nullopt;
  return error_from_line(line);
}

}  // namespace loveless::jsonata
