#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "loveless/demo/store.hpp"
#include "loveless/worker/worker.hpp"

namespace loveless::demo {

/// What every demo handler reads from its environment, once per task (a
/// handler keeps nothing between tasks; that is the point of the demo).
struct DemoSettings {
  /// `LOVELESS_DEMO_STORE`.
  std::filesystem::path store;
  /// `LOVELESS_DEMO_CHUNK_DELAY_MS` (default 300): a deliberate pause in
  /// count-words, long enough for faults to land while a task runs.
  std::chrono::milliseconds chunk_delay{300};
  /// Reads the variables. Throws `worker::TaskFailure` (`Demo.Misconfigured`)
  /// when the store is not set or the delay is not a number.
  static DemoSettings from_environment();
};

/// Lines per chunk when the input does not say (`lines_per_chunk`).
inline constexpr int kDefaultLinesPerChunk = 40;
/// Entries in a result's `top` list.
inline constexpr std::size_t kTopWords = 10;

// Every handler fails with worker::TaskFailure and one of these error names;
// the workflows retry none of them (a retry cannot fix a missing object).
inline constexpr const char* kInvalidInput = "Demo.InvalidInput";
inline constexpr const char* kDocumentNotFound = "Demo.DocumentNotFound";
inline constexpr const char* kMissingChunk = "Demo.MissingChunk";
inline constexpr const char* kMissingCounts = "Demo.MissingCounts";
inline constexpr const char* kMisconfigured = "Demo.Misconfigured";
/// The worker is stopping (SIGTERM) in the middle of the chunk delay; retried.
inline constexpr const char* kInterrupted = "Demo.Interrupted";
/// count-words' work file vanished from scratch mid-task (a wipe); retried.
inline constexpr const char* kScratchLost = "Demo.ScratchLost";

/// `split` (Lambda function). Input `{"document": name, "source"?: path,
/// "lines_per_chunk"?: n}`: reads the local file `source` if given, else the
/// store object `documents/<name>`; cuts it into chunks of n lines and writes
/// each to `chunks/<name>/<content-hash>-<n>/<index>.txt` (same document, same
/// keys, same bytes). Returns `{"document", "lines_per_chunk", "chunks": [key...]}`.
nlohmann::json split_document(const nlohmann::json& input, worker::TaskContext& context,
                              const DemoSettings& settings);

/// `count-words` (activity). Input `{"chunk": key}`: copies the chunk through
/// the work file `count-words.tmp` in scratch (overwritten by every task, read
/// back by the same task), pauses `chunk_delay`, counts the chunk's words (see tokenizer.hpp) and
/// writes them as a JSON object
/// `{word: count}` to the key `counts/...json` derived from the chunk key.
/// Returns `{"chunk", "counts": key, "words": total}`.
nlohmann::json count_chunk_words(const nlohmann::json& input, worker::TaskContext& context,
                                 const DemoSettings& settings);

/// `merge` (Lambda function). Input `{"document", "counts": [key...]}`: sums the
/// count objects, writes `{"document", "total_words", "counts"}` to
/// `results/<document>/<hash of the keys>.json`. Returns `{"document",
/// "total_words", "distinct_words", "top": [{"word", "count"}...], "result": key}`.
nlohmann::json merge_counts(const nlohmann::json& input, worker::TaskContext& context,
                            const DemoSettings& settings);

/// FLAWED `count-words-tmp-handoff`: as count-words, but writes the counts into
/// the worker's scratch directory and returns `{"chunk", "counts_file": absolute
/// path, "words"}`, handing data to the next step through /tmp.
nlohmann::json count_chunk_words_tmp_handoff(const nlohmann::json& input,
                                             worker::TaskContext& context,
                                             const DemoSettings& settings);

/// FLAWED `merge-tmp-handoff`: as merge, reading `{"document", "count_files":
/// [path...]}` from the local file system; a missing file fails the task with
/// `Demo.MissingCounts`.
nlohmann::json merge_counts_tmp_handoff(const nlohmann::json& input, worker::TaskContext& context,
                                        const DemoSettings& settings);

/// FLAWED `merge-global-state`: as merge, but sums into a process-wide table
/// that is never reset, so a reused execution environment adds every earlier
/// invocation's words to the result.
nlohmann::json merge_counts_global_state(const nlohmann::json& input, worker::TaskContext& context,
                                         const DemoSettings& settings);

/// Every handler by its name (`split`, `count-words`, `merge`,
/// `count-words-tmp-handoff`, `merge-tmp-handoff`, `merge-global-state`), each
/// reading `DemoSettings::from_environment()` per task.
std::map<std::string, worker::Handler> demo_handlers();

/// The counts key for a chunk key: `chunks/<rest>.txt` -> `counts/<rest>.json`.
/// Throws `worker::TaskFailure` (`Demo.InvalidInput`) for any other key.
std::string counts_key_for(const std::string& chunk_key);

}  // namespace loveless::demo
