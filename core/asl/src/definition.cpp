#include "loveless/asl/definition.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "loveless/asl/errors.hpp"

#include "definition_validator.hpp"

namespace loveless::asl {
namespace {

using OrderedJson = nlohmann::ordered_json;

/// Watches the parser's events to reject what a parsed value can no longer
/// show: a field given twice (the parser would silently keep the last one, so
/// two states with one name would lose a state) and nesting deep enough to
/// exhaust the stack of the recursive validator.
class ParseGuard {
 public:
  bool on_event(OrderedJson::parse_event_t event, const OrderedJson& parsed) {
    using Event = OrderedJson::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (frames_.size() >= detail::kMaxDefinitionDepth) {
          throw InvalidDefinition(pointer(), detail::nesting_rule());
        }
        frames_.push_back(Frame{event == Event::array_start, 0, {}, {}});
        break;
      case Event::key: {
        Frame& frame = frames_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second) {
          const bool in_states = frames_.size() >= 2 && !frames_[frames_.size() - 2].is_array &&
                                 frames_[frames_.size() - 2].key == "States";
          throw InvalidDefinition(
              pointer(), in_states ? "state name '" + frame.key + "' is used more than once"
                                   : "field '" + frame.key + "' appears more than once");
        }
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        element_done();
        break;
      case Event::value:
        element_done();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;  // of the element being parsed, in an array
    std::string key;    // of the member being parsed, in an object
    std::set<std::string> keys;
  };

  void element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  [[nodiscard]] std::string pointer() const {
    std::string text;
    for (const Frame& frame : frames_) {
      text += '/';
      text += frame.is_array ? std::to_string(frame.index) : escape_pointer_token(frame.key);
    }
    return text.empty() ? "/" : text;
  }

  std::vector<Frame> frames_;
};

/// nlohmann's copy and comparison recurse, so a caller-built document is
/// measured without recursion before anything else touches it.
void check_depth(const nlohmann::json& document) {
  std::vector<std::pair<const nlohmann::json*, std::size_t>> pending{{&document, 1}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (!value->is_structured()) continue;
    if (depth > detail::kMaxDefinitionDepth) throw InvalidDefinition("/", detail::nesting_rule());
    for (const auto& child : *value) pending.emplace_back(&child, depth + 1);
  }
}

std::int64_t execution_timeout(const nlohmann::json& document) {
  const auto timeout = document.find("TimeoutSeconds");
  return timeout == document.end() ? 0 : timeout->get<std::int64_t>();
}

}  // namespace

Definition::Definition(nlohmann::json document)
    : document_(std::move(document)), timeout_seconds_(execution_timeout(document_)) {}

std::shared_ptr<const Definition> Definition::parse(std::string_view json_text) {
  ParseGuard guard;
  OrderedJson ordered;
  try {
    ordered = OrderedJson::parse(
        json_text, [&guard](int /*depth*/, OrderedJson::parse_event_t event, OrderedJson& parsed) {
          return guard.on_event(event, parsed);
        });
  } catch (const OrderedJson::exception& error) {
    // parse_error for bad syntax, out_of_range for a number beyond a double.
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: the rest is
    // the position and the reason, which is what a user can act on.
    std::string message = error.what();
    if (const auto end = message.find("] ");
        message.starts_with("[json.exception.") && end != std::string::npos) {
      message.erase(0, end + 2);
    }
    throw InvalidDefinition("/", "not valid JSON: " + message);
  }
  // Validating the order-preserving document makes "the first violation" the
  // first in the text, not the first in sorted key order.
  detail::validate_ordered_definition(ordered);
  return std::shared_ptr<const Definition>(new Definition(nlohmann::json(ordered)));
}

std::shared_ptr<const Definition> Definition::from_json(nlohmann::json document,
                                                        DefinitionOptions options) {
  validate_definition(document, options);
  return std::shared_ptr<const Definition>(new Definition(std::move(document)));
}

void validate_definition(const nlohmann::json& document, DefinitionOptions options) {
  check_depth(document);
  detail::validate_ordered_definition(OrderedJson(document), options);
}

}  // namespace loveless::asl
