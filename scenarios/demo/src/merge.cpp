#include <string>
#include <vector>

#include "loveless/demo/handlers.hpp"
#include "loveless/demo/tokenizer.hpp"

#include "handler_support.hpp"

namespace loveless::demo {

nlohmann::json merge_counts(const nlohmann::json& input, worker::TaskContext& /*context*/,
                            const DemoSettings& settings) {
  const auto document = detail::document_name(input);
  const auto keys = detail::required_strings(input, "counts");
  const DurableStore store(settings.store);
  WordCounts counts;
  for (const auto& key : keys) {
    try {
      add_counts(counts, detail::counts_from_json(store.read(key), key));
    } catch (const StoreError& e) {
      detail::fail_from_store(e, kMissingCounts);
    }
  }
  return detail::finish_merge(document, counts, keys, store);
}

}  // namespace loveless::demo
