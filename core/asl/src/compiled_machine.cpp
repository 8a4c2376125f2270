#include "compiled_machine.hpp"

#include <map>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "loveless/asl/intrinsics.hpp"

namespace loveless::asl::detail {

using nlohmann::json;

std::string_view type_name(StateType type) {
  switch (type) {
    case StateType::kTask:
      return "Task";
    case StateType::kPass:
      return "Pass";
    case StateType::kChoice:
      return "Choice";
    case StateType::kWait:
      return "Wait";
    case StateType::kSucceed:
      return "Succeed";
    case StateType::kFail:
      return "Fail";
    case StateType::kParallel:
      return "Parallel";
    case StateType::kMap:
      return "Map";
  }
  return "Pass";
}

namespace {

StateType parse_type(const std::string& type) {
  static const std::unordered_map<std::string, StateType> kTypes = {
      {"Task", StateType::kTask},         {"Pass", StateType::kPass},
      {"Choice", StateType::kChoice},     {"Wait", StateType::kWait},
      {"Succeed", StateType::kSucceed},   {"Fail", StateType::kFail},
      {"Parallel", StateType::kParallel}, {"Map", StateType::kMap},
  };
  const auto it = kTypes.find(type);
  if (it == kTypes.end()) throw std::runtime_error("unknown state type '" + type + "'");
  return it->second;
}

const json* member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

PathField compile_path_field(const json& state, const char* key) {
  PathField field;
  const json* value = member(state, key);
  if (value == nullptr) return field;
  if (value->is_null()) {
    field.mode = PathField::Mode::kNull;
    return field;
  }
  field.mode = PathField::Mode::kPath;
  field.path = JsonPath::compile(value->get<std::string>());
  return field;
}

std::optional<JsonPath> compile_optional_path(const json& state, const char* key) {
  const json* value = member(state, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return JsonPath::compile(value->get<std::string>());
}

std::optional<std::int64_t> optional_int(const json& state, const char* key) {
  const json* value = member(state, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->get<std::int64_t>();
}

std::optional<DynamicValue> compile_dynamic(const json& state, const char* key) {
  const json* value = member(state, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  const auto text = value->get<std::string>();
  DynamicValue dynamic;
  if (is_intrinsic_call(text)) {
    dynamic.intrinsic = text;
  } else {
    dynamic.path = JsonPath::compile(text);
  }
  return dynamic;
}

std::unique_ptr<Machine> compile_machine(const json& block, bool jsonata);

/// A field given as a JSONata expression string (`"{% ... %}"`), else null.
const json* expression_member(const json& state, const char* key) {
  const json* value = member(state, key);
  return value != nullptr && value->is_string() ? value : nullptr;
}

class MachineCompiler {
 public:
  /// `jsonata`: the query language the states inherit: the state machine's
  /// top-level one, also inside a Parallel or Map that sets its own (measured
  /// on AWS, floci-io/floci issue #2968).
  MachineCompiler(const json& block, bool jsonata) : block_(block), jsonata_(jsonata) {}

  std::unique_ptr<Machine> compile() {
    auto machine = std::make_unique<Machine>();
    const json& states = block_.at("States");
    // Index first so that transitions (forward and backward) resolve to indexes.
    for (auto it = states.begin(); it != states.end(); ++it) {
      indexes_.emplace(it.key(), indexes_.size());
    }
    machine->states.reserve(states.size());
    for (auto it = states.begin(); it != states.end(); ++it) {
      machine->states.push_back(compile_state(it.key(), it.value()));
    }
    machine->start = index_of(block_.at("StartAt").get<std::string>());
    return machine;
  }

 private:
  std::size_t index_of(const std::string& name) const {
    const auto it = indexes_.find(name);
    if (it == indexes_.end()) throw std::runtime_error("no state named '" + name + "'");
    return it->second;
  }

  State compile_state(const std::string& name, const json& node) {
    State state;
    state.name = name;
    state.type = parse_type(node.at("Type").get<std::string>());
    state.jsonata = jsonata_;
    if (const json* language = member(node, "QueryLanguage"); language != nullptr) {
      state.jsonata = *language == "JSONata";
    }
    state.assign = member(node, "Assign");
    state.output = member(node, "Output");
    state.arguments = member(node, "Arguments");
    const json* end = member(node, "End");
    state.end = (end != nullptr && end->is_boolean() && end->get<bool>()) ||
                state.type == StateType::kSucceed || state.type == StateType::kFail;
    if (const json* next = member(node, "Next"); next != nullptr && next->is_string()) {
      state.next = index_of(next->get<std::string>());
    }
    state.input_path = compile_path_field(node, "InputPath");
    state.output_path = compile_path_field(node, "OutputPath");
    state.result_path = compile_path_field(node, "ResultPath");
    state.parameters = member(node, "Parameters");
    state.result_selector = member(node, "ResultSelector");
    state.result = member(node, "Result");

    if (const json* retry = member(node, "Retry"); retry != nullptr) {
      for (const json& r : *retry) state.retriers.push_back(compile_retrier(r));
    }
    if (const json* catches = member(node, "Catch"); catches != nullptr) {
      for (const json& c : *catches) state.catchers.push_back(compile_catcher(c));
    }
    compile_type_fields(node, state);
    return state;
  }

  Catcher compile_catcher(const json& c) const {
    Catcher catcher;
    catcher.error_equals = &c.at("ErrorEquals");
    catcher.next = index_of(c.at("Next").get<std::string>());
    catcher.result_path = compile_path_field(c, "ResultPath");
    catcher.output = member(c, "Output");
    catcher.assign = member(c, "Assign");
    return catcher;
  }

  /// The fields of `state.type` alone.
  void compile_type_fields(const json& node, State& state) {
    switch (state.type) {
      case StateType::kTask:
        state.resource = node.at("Resource").get<std::string>();
        state.resource_kind = classify_resource(state.resource);
        state.timeout_seconds = optional_int(node, "TimeoutSeconds");
        state.timeout_seconds_path = compile_optional_path(node, "TimeoutSecondsPath");
        state.heartbeat_seconds = optional_int(node, "HeartbeatSeconds");
        state.heartbeat_seconds_path = compile_optional_path(node, "HeartbeatSecondsPath");
        state.timeout_expression = expression_member(node, "TimeoutSeconds");
        state.heartbeat_expression = expression_member(node, "HeartbeatSeconds");
        break;
      case StateType::kChoice:
        for (const json& rule : node.at("Choices")) {
          state.choices.push_back(&rule);
          state.choice_next.push_back(index_of(rule.at("Next").get<std::string>()));
        }
        if (const json* def = member(node, "Default"); def != nullptr && def->is_string()) {
          state.default_next = index_of(def->get<std::string>());
        }
        break;
      case StateType::kWait:
        state.seconds = optional_int(node, "Seconds");
        if (const json* ts = member(node, "Timestamp"); ts != nullptr && ts->is_string()) {
          state.timestamp = ts->get<std::string>();
        }
        state.seconds_path = compile_optional_path(node, "SecondsPath");
        state.timestamp_path = compile_optional_path(node, "TimestampPath");
        state.seconds_expression = expression_member(node, "Seconds");
        if (state.jsonata) {
          state.timestamp_expression = expression_member(node, "Timestamp");
          state.timestamp.reset();
        }
        break;
      case StateType::kFail:
        if (const json* e = member(node, "Error"); e != nullptr && e->is_string()) {
          state.error = e->get<std::string>();
        }
        if (const json* c = member(node, "Cause"); c != nullptr && c->is_string()) {
          state.cause = c->get<std::string>();
        }
        state.error_path = compile_dynamic(node, "ErrorPath");
        state.cause_path = compile_dynamic(node, "CausePath");
        if (state.jsonata) {
          state.error_expression = expression_member(node, "Error");
          state.cause_expression = expression_member(node, "Cause");
          state.error.reset();
          state.cause.reset();
        }
        break;
      case StateType::kParallel:
        for (const json& branch : node.at("Branches")) {
          state.branches.push_back(compile_machine(branch, jsonata_));
        }
        break;
      case StateType::kMap: {
        const json* processor = member(node, "ItemProcessor");
        if (processor == nullptr) processor = member(node, "Iterator");
        if (processor == nullptr) throw std::runtime_error("Map state without ItemProcessor");
        state.processor = compile_machine(*processor, jsonata_);
        state.items = member(node, "Items");
        state.max_concurrency_expression = expression_member(node, "MaxConcurrency");
        state.items_path = compile_path_field(node, "ItemsPath");
        if (const json* selector = member(node, "ItemSelector"); selector != nullptr) {
          state.parameters = selector;
        }
        state.max_concurrency = optional_int(node, "MaxConcurrency").value_or(0);
        state.max_concurrency_path = compile_optional_path(node, "MaxConcurrencyPath");
        if (const json* config = member(*processor, "ProcessorConfig");
            config != nullptr && config->is_object()) {
          state.distributed = config->value("Mode", std::string()) == "DISTRIBUTED";
        }
        if (const json* label = member(node, "Label"); label != nullptr && label->is_string()) {
          state.label = label->get<std::string>();
        }
        state.tolerated_failure_count = member(node, "ToleratedFailureCount");
        state.tolerated_failure_count_path =
            compile_optional_path(node, "ToleratedFailureCountPath");
        state.tolerated_failure_percentage = member(node, "ToleratedFailurePercentage");
        state.tolerated_failure_percentage_path =
            compile_optional_path(node, "ToleratedFailurePercentagePath");
        state.item_batcher = member(node, "ItemBatcher");
        state.item_reader = member(node, "ItemReader");
        state.result_writer = member(node, "ResultWriter");
        break;
      }
      case StateType::kPass:
      case StateType::kSucceed:
        break;
    }
  }

  static Retrier compile_retrier(const json& r) {
    Retrier retrier;
    retrier.error_equals = &r.at("ErrorEquals");
    retrier.interval_seconds = optional_int(r, "IntervalSeconds").value_or(1);
    retrier.max_attempts = optional_int(r, "MaxAttempts").value_or(3);
    if (const json* rate = member(r, "BackoffRate"); rate != nullptr && rate->is_number()) {
      retrier.backoff_rate = rate->get<double>();
    }
    retrier.max_delay_seconds = optional_int(r, "MaxDelaySeconds");
    retrier.full_jitter = r.value("JitterStrategy", std::string("NONE")) == "FULL";
    return retrier;
  }

  const json& block_;
  bool jsonata_;
  std::unordered_map<std::string, std::size_t> indexes_;
};

std::unique_ptr<Machine> compile_machine(const json& block, bool jsonata) {
  return MachineCompiler(block, jsonata).compile();
}

}  // namespace

std::shared_ptr<const CompiledDefinition> compile_definition(
    const std::shared_ptr<const Definition>& definition) {
  // Executions of one state machine share its Definition; compiling once per
  // definition keeps StartExecution O(1) in the size of the workflow. The
  // cache holds weak references only, so a deleted state machine frees it.
  static std::mutex mutex;
  static std::map<const Definition*, std::weak_ptr<const CompiledDefinition>> cache;
  {
    const std::lock_guard lock(mutex);
    const auto it = cache.find(definition.get());
    if (it != cache.end()) {
      if (auto compiled = it->second.lock(); compiled && compiled->definition == definition) {
        return compiled;
      }
    }
  }
  auto compiled = std::make_shared<CompiledDefinition>();
  compiled->definition = definition;
  const json& document = definition->document();
  compiled->root =
      std::move(*compile_machine(document, document.value("QueryLanguage", "") == "JSONata"));
  const std::lock_guard lock(mutex);
  std::erase_if(cache, [](const auto& entry) { return entry.second.expired(); });
  cache[definition.get()] = compiled;
  return compiled;
}

}  // namespace loveless::asl::detail
