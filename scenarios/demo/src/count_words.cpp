#include <string>

#include "loveless/demo/handlers.hpp"
#include "loveless/demo/tokenizer.hpp"

#include "handler_support.hpp"

namespace loveless::demo {

std::string counts_key_for(const std::string& chunk_key) {
  constexpr std::string_view kPrefix = "chunks/";
  constexpr std::string_view kSuffix = ".txt";
  if (chunk_key.size() <= kPrefix.size() + kSuffix.size() || !chunk_key.starts_with(kPrefix) ||
      !chunk_key.ends_with(kSuffix)) {
    throw worker::TaskFailure(kInvalidInput, "'" + chunk_key + "' is not a chunk key");
  }
  const auto middle =
      chunk_key.substr(kPrefix.size(), chunk_key.size() - kPrefix.size() - kSuffix.size());
  return "counts/" + middle + ".json";
}

nlohmann::json count_chunk_words(const nlohmann::json& input, worker::TaskContext& context,
                                 const DemoSettings& settings) {
  const auto chunk_key = detail::required_string(input, "chunk");
  const auto counts_key = counts_key_for(chunk_key);
  const DurableStore store(settings.store);
  detail::pause_for_chunk(settings.chunk_delay, context);
  try {
    const auto counts = count_words(store.read(chunk_key));
    // Same chunk, same key, same bytes: a retry after a crash, or a duplicate
    // delivery, rewrites identical content.
    store.write(counts_key, detail::counts_to_json(counts));
    return {{"chunk", chunk_key}, {"counts", counts_key}, {"words", total_words(counts)}};
  } catch (const StoreError& e) {
    detail::fail_from_store(e, kMissingChunk);
  }
}

}  // namespace loveless::demo
