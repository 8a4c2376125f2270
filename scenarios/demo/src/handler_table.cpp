#include <charconv>
#include <cstdlib>
#include <string>

#include "loveless/demo/handlers.hpp"

namespace loveless::demo {
namespace {

using HandlerFunction = nlohmann::json (*)(const nlohmann::json&, worker::TaskContext&,
                                           const DemoSettings&);

// Settings are read per task, not cached: a handler that remembered them
// would be the kind of state between invocations the demo warns about.
worker::Handler with_settings(HandlerFunction function) {
  return [function](const nlohmann::json& input, worker::TaskContext& context) {
    return function(input, context, DemoSettings::from_environment());
  };
}

}  // namespace

DemoSettings DemoSettings::from_environment() {
  DemoSettings settings;
  const char* store = std::getenv("LOVELESS_DEMO_STORE");
  if (store == nullptr || *store == '\0') {
    throw worker::TaskFailure(kMisconfigured, "LOVELESS_DEMO_STORE is not set");
  }
  settings.store = store;
  if (const char* delay = std::getenv("LOVELESS_DEMO_CHUNK_DELAY_MS"); delay != nullptr) {
    const std::string_view text(delay);
    long long milliseconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), milliseconds);
    if (ec != std::errc() || end != text.data() + text.size() || milliseconds < 0) {
      throw worker::TaskFailure(kMisconfigured,
                                "LOVELESS_DEMO_CHUNK_DELAY_MS must be a "
                                "non-negative integer, got '" +
                                    std::string(text) + "'");
    }
    settings.chunk_delay = std::chrono::milliseconds(milliseconds);
  }
  return settings;
}

std::map<std::string, worker::Handler> demo_handlers() {
  return {
      {"split", with_settings(&split_document)},
      {"count-words", with_settings(&count_chunk_words)},
      {"merge", with_settings(&merge_counts)},
      {"count-words-tmp-handoff", with_settings(&count_chunk_words_tmp_handoff)},
      {"merge-tmp-handoff", with_settings(&merge_counts_tmp_handoff)},
      {"merge-global-state", with_settings(&merge_counts_global_state)},
  };
}

}  // namespace loveless::demo
