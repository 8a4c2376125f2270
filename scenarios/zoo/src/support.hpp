#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/worker/worker.hpp"

namespace loveless::zoo::detail {

/// The parameters a zoo workflow state passes (scenarios/zoo/zoo_scenarios.cpp,
/// `zoo_definition`).
struct ZooTask {
  /// `work` (one-step workflows), `first` or `second` (two-step workflows).
  std::string step;
  /// `$$.State.RetryCount`: 0 for the first attempt of a state.
  int attempt = 0;
  /// `$$.Execution.Name`, unique within a run.
  std::string execution;
  /// The execution input; in `second`, with `first` holding First's output.
  nlohmann::json input;
  /// `input["id"]`: letters, digits and `-` (safe in a file name), else Zoo.InvalidInput.
  [[nodiscard]] std::string id() const;
  /// `input[field]` as a string, else Zoo.InvalidInput.
  [[nodiscard]] std::string text(const char* field) const;
};

using Behaviour = std::function<nlohmann::json(const ZooTask& task, worker::TaskContext& context)>;

/// A worker::Handler that parses the state's parameters into a ZooTask.
worker::Handler handler(Behaviour behaviour);

/// Sleeps ZOO_TASK_MS milliseconds (default 150), so faults land mid-task;
/// fails with Zoo.Interrupted once the worker is told to stop (SIGTERM).
void work_a_while(worker::TaskContext& context);

/// 16 hex digits of FNV-1a 64 over `bytes`.
std::string digest(std::string_view bytes);
/// How many whitespace-separated words `text` holds.
std::int64_t word_count(std::string_view text);
/// Words of the first half of `text`'s words and of the rest: what the
/// checkpointing behaviours compute in two attempts.
std::int64_t first_half_words(std::string_view text);
/// `{"id", "words", "digest"}` of `content`: the output most behaviours return.
nlohmann::json summarise(const std::string& id, const std::string& content);

/// The whole file (opened for reading), else std::runtime_error.
std::string read_text(const std::filesystem::path& file);
/// Creates or truncates `file` (and its directory) and writes `text`.
void write_text(const std::filesystem::path& file, std::string_view text);
/// Appends `text` to `file`, creating it.
void append_text(const std::filesystem::path& file, std::string_view text);

[[noreturn]] void fail(const char* error, const std::string& cause);

}  // namespace loveless::zoo::detail
