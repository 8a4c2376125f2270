// The deliberately flawed merge behind `--variant global-state`: it sums into a
// table that lives as long as the process. Every invocation a reused Lambda
// execution environment serves adds to what the earlier ones left, so only the
// first document an environment merges is right. Fresh environments (a cold
// start per invocation) hide the bug; warm reuse, the normal case, exposes it.
// See scenarios/demo/README.md.
#include <mutex>
#include <string>
#include <vector>

#include "loveless/demo/handlers.hpp"
#include "loveless/demo/tokenizer.hpp"

#include "handler_support.hpp"

namespace loveless::demo {
namespace {

struct RunningTotals {
  std::mutex mutex;
  WordCounts counts;
};

RunningTotals& running_totals() {
  static RunningTotals totals;
  return totals;
}

}  // namespace

nlohmann::json merge_counts_global_state(const nlohmann::json& input,
                                         worker::TaskContext& /*context*/,
                                         const DemoSettings& settings) {
  const auto document = detail::document_name(input);
  const auto keys = detail::required_strings(input, "counts");
  const DurableStore store(settings.store);
  auto& totals = running_totals();
  const std::lock_guard lock(totals.mutex);
  for (const auto& key : keys) {
    try {
      add_counts(totals.counts, detail::counts_from_json(store.read(key), key));
    } catch (const StoreError& e) {
      detail::fail_from_store(e, kMissingCounts);
    }
  }
  return detail::finish_merge(document, totals.counts, keys, store);
}

}  // namespace loveless::demo
