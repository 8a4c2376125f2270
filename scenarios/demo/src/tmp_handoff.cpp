// The deliberately flawed pair behind `--variant tmp-handoff`: count-words
// leaves its counts in the worker's scratch directory and passes the path on;
// merge opens that path. On one machine with warm workers the file is still
// there, so every test passes; once the scratch is wiped, the worker replaced
// by one on another host, or the steps run in containers (each with its own
// /tmp), merge finds nothing. See scenarios/demo/README.md.
#include <algorithm>
#include <string>
#include <vector>

#include "loveless/demo/handlers.hpp"
#include "loveless/demo/tokenizer.hpp"

#include "handler_support.hpp"

namespace loveless::demo {

nlohmann::json count_chunk_words_tmp_handoff(const nlohmann::json& input,
                                             worker::TaskContext& context,
                                             const DemoSettings& settings) {
  const auto chunk_key = detail::required_string(input, "chunk");
  auto flat_name = counts_key_for(chunk_key);
  std::replace(flat_name.begin(), flat_name.end(), '/', '_');
  const auto counts_file = context.scratch_dir() / "loveless-demo" / flat_name;
  const DurableStore store(settings.store);
  detail::pause_for_chunk(settings.chunk_delay, context);
  try {
    const auto counts = count_words(store.read(chunk_key));
    write_file_atomically(counts_file, detail::counts_to_json(counts));
    return {{"chunk", chunk_key},
            {"counts_file", counts_file.string()},
            {"words", total_words(counts)}};
  } catch (const StoreError& e) {
    detail::fail_from_store(e, kMissingChunk);
  }
}

nlohmann::json merge_counts_tmp_handoff(const nlohmann::json& input,
                                        worker::TaskContext& /*context*/,
                                        const DemoSettings& settings) {
  const auto document = detail::document_name(input);
  const auto files = detail::required_strings(input, "count_files");
  WordCounts counts;
  for (const auto& file : files) {
    try {
      add_counts(counts, detail::counts_from_json(read_file(file), file));
    } catch (const StoreError& e) {
      detail::fail_from_store(e, kMissingCounts);
    }
  }
  return detail::finish_merge(document, counts, files, DurableStore(settings.store));
}

}  // namespace loveless::demo
