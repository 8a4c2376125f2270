#include "execution_input.hpp"

#include "loveless/asl/json_document.hpp"
#include "loveless/engine/service_error.hpp"

#include "json_syntax_words.hpp"
#include "limits.hpp"

namespace loveless::engine {
namespace {

[[noreturn]] void throw_invalid_input(const std::string& detail) {
  throw ServiceError("InvalidExecutionInput",
                     "Invalid State Machine Execution Input: '" + detail + "'");
}

}  // namespace

nlohmann::json parse_execution_input(const std::string& text) {
  if (text.size() > limits::kMaxPayloadBytes) {
    throw_invalid_input("Input exceeds the maximum size of " +
                        std::to_string(limits::kMaxPayloadBytes) + " bytes");
  }
  try {
    return asl::parse_json_document(text);
  } catch (const asl::JsonDocumentError& e) {
    // AWS's words where the recordings show them (test_sfn_api:
    // test_invalid_start_execution_input), ours otherwise.
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw_invalid_input("Invalid execution input.");
    }
    if (const auto words = json_syntax_words(text)) throw_invalid_input(words->message);
    throw_invalid_input(std::string("Input is not valid JSON: ") + e.what());
  }
}

}  // namespace loveless::engine
