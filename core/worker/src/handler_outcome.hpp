#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/worker/worker.hpp"

namespace loveless::worker {

/// SendTaskFailure's limits on `error` and `cause`, in characters.
inline constexpr std::size_t kMaxErrorCharacters = 256;
inline constexpr std::size_t kMaxCauseCharacters = 32'768;

/// What a handler did, in the terms both adapters report: a JSON output, or
/// an error name and cause (already cut to the limits above).
struct HandlerOutcome {
  bool succeeded = false;
  nlohmann::json output;
  std::string error;
  std::string cause;

  static HandlerOutcome failure(std::string_view error, std::string_view cause);
};

/// Runs `handler` and maps what it throws, the same way in both roles:
/// TaskFailure -> its error and cause; any other exception ->
/// `Worker.UnhandledException` with `what()` (or "unknown exception").
/// Never throws.
[[nodiscard]] HandlerOutcome run_handler(const Handler& handler, const nlohmann::json& input,
                                         TaskContext& context) noexcept;

/// The first `max_characters` UTF-8 characters of `text`, never splitting a
/// multi-byte sequence (Step Functions counts characters, not bytes).
[[nodiscard]] std::string truncate_characters(std::string_view text, std::size_t max_characters);

/// `value` as JSON text; invalid UTF-8 in strings is replaced rather than
/// thrown on, so a sloppy handler output still reaches the orchestrator.
[[nodiscard]] std::string to_json_text(const nlohmann::json& value);

}  // namespace loveless::worker
