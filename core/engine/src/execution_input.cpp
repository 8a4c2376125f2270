#include "execution_input.hpp"

#include "loveless/asl/json_document.hpp"
#include "loveless/engine/service_error.hpp"

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
    throw_invalid_input(std::string("Input is not valid JSON: ") + e.what());
  }
}

}  // namespace loveless::engine
