#include "handler_outcome.hpp"

#include <exception>

namespace loveless::worker {

HandlerOutcome HandlerOutcome::failure(std::string_view error, std::string_view cause) {
  HandlerOutcome outcome;
  outcome.error = truncate_characters(error, kMaxErrorCharacters);
  outcome.cause = truncate_characters(cause, kMaxCauseCharacters);
  return outcome;
}

HandlerOutcome run_handler(const Handler& handler, const nlohmann::json& input,
                           TaskContext& context) noexcept {
  try {
    HandlerOutcome outcome;
    outcome.output = handler(input, context);
    outcome.succeeded = true;
    return outcome;
  } catch (const TaskFailure& failure) {
    return HandlerOutcome::failure(failure.error(), failure.cause());
  } catch (const std::exception& e) {
    return HandlerOutcome::failure("Worker.UnhandledException", e.what());
  } catch (...) {
    return HandlerOutcome::failure("Worker.UnhandledException", "unknown exception");
  }
}

std::string truncate_characters(std::string_view text, std::size_t max_characters) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A character starts at every byte that is not a UTF-8 continuation byte.
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      if (characters == max_characters) return std::string(text.substr(0, i));
      ++characters;
    }
  }
  return std::string(text);
}

std::string to_json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace loveless::worker
