#include <fstream>
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

namespace {

// The chunk goes through a fixed-name work file in scratch, as a worker that
// hands its input to a tool reading files would (the `resize.tmp` pattern of
// docs/worker-sdk.md): written (created or truncated) and read back within
// this task. A later task, or the retry of a killed one, opens the file an
// earlier task left only to overwrite it: scratch used harmlessly, which
// no_local_state_reliance() must tell from reliance. A wipe between the write
// and the read is a lost scratch, retried like any task failure.
std::string through_scratch(const std::string& chunk, const worker::TaskContext& context) {
  const auto work_file = context.scratch_dir() / "count-words.tmp";
  {
    std::ofstream out(work_file, std::ios::binary | std::ios::trunc);
    out << chunk;
    if (!out.flush()) {
      throw worker::TaskFailure(kScratchLost, "cannot write " + work_file.string());
    }
  }
  try {
    return read_file(work_file);
  } catch (const StoreError& e) {
    throw worker::TaskFailure(kScratchLost, e.what());
  }
}

}  // namespace

nlohmann::json count_chunk_words(const nlohmann::json& input, worker::TaskContext& context,
                                 const DemoSettings& settings) {
  const auto chunk_key = detail::required_string(input, "chunk");
  const auto counts_key = counts_key_for(chunk_key);
  const DurableStore store(settings.store);
  try {
    const auto chunk = through_scratch(store.read(chunk_key), context);
    detail::pause_for_chunk(settings.chunk_delay, context);
    const auto counts = count_words(chunk);
    // Same chunk, same key, same bytes: a retry after a crash, or a duplicate
    // delivery, rewrites identical content.
    store.write(counts_key, detail::counts_to_json(counts));
    return {{"chunk", chunk_key}, {"counts", counts_key}, {"words", total_words(counts)}};
  } catch (const StoreError& e) {
    detail::fail_from_store(e, kMissingChunk);
  }
}

}  // namespace loveless::demo
