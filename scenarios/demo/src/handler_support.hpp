#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/demo/handlers.hpp"
#include "loveless/demo/tokenizer.hpp"
#include "loveless/worker/worker.hpp"

namespace loveless::demo::detail {

/// `input[field]` as a non-empty string, else `Demo.InvalidInput`.
std::string required_string(const nlohmann::json& input, const char* field);

/// `input["document"]`: a name that is one store key segment (no `/`, not
/// `.` or `..`), else `Demo.InvalidInput`.
std::string document_name(const nlohmann::json& input);

/// `input[field]` as an array of non-empty strings, else `Demo.InvalidInput`.
std::vector<std::string> required_strings(const nlohmann::json& input, const char* field);

/// 16 hex digits of FNV-1a 64 over `bytes`: short, stable content addresses for keys.
std::string content_hash(std::string_view bytes);

/// Counts as the JSON object `{word: count}` the count files hold.
std::string counts_to_json(const WordCounts& counts);
/// The inverse; `origin` names the file in the error (`Demo.InvalidInput`).
WordCounts counts_from_json(std::string_view text, const std::string& origin);

/// Sleeps `delay`, waking early to fail with `Demo.Interrupted` once the worker
/// is told to stop.
void pause_for_chunk(std::chrono::milliseconds delay, worker::TaskContext& context);

/// Turns a store failure into the task failure the workflow sees.
[[noreturn]] void fail_from_store(const StoreError& error, const char* not_found_error);

/// Writes `{"document", "total_words", "counts"}` to the store under
/// `results/<document>/<hash of sources>.json` and returns the merge output.
nlohmann::json finish_merge(const std::string& document, const WordCounts& counts,
                            const std::vector<std::string>& sources, const DurableStore& store);

}  // namespace loveless::demo::detail
