#include "runtime_payload.hpp"

#include "loveless/asl/json_document.hpp"

#include "lambda_errors.hpp"

namespace loveless::engine {

RuntimeOutcome runtime_response_outcome(std::string_view body) {
  RuntimeOutcome outcome;
  try {
    // Lambda hands Step Functions the payload bytes; an empty one is null.
    outcome.output = body.empty() ? nlohmann::json() : asl::parse_json_document(body);
  } catch (const asl::JsonDocumentError& error) {
    outcome.error = lambda_errors::kUnknown;
    outcome.cause = error.too_deep()
                        ? "The function returned a payload that " + std::string(error.what())
                        : "The function returned a payload that is not JSON: " + std::string(body);
  }
  return outcome;
}

RuntimeOutcome runtime_error_outcome(std::string_view body, std::string_view error_type_header) {
  std::string error;
  try {
    const auto payload = asl::parse_json_document(body);
    if (payload.is_object() && payload.contains("errorType") && payload["errorType"].is_string()) {
      error = payload["errorType"].get<std::string>();
    }
  } catch (const asl::JsonDocumentError&) {
    // Not JSON: the header (or Lambda.Unknown) names the error.
  }
  if (error.empty()) error = error_type_header;
  RuntimeOutcome outcome;
  if (error.empty()) {
    outcome.error = lambda_errors::kUnknown;
    outcome.cause = lambda_errors::unknown_cause(body);
  } else {
    outcome.error = std::move(error);
    outcome.cause = std::string(body);
  }
  return outcome;
}

}  // namespace loveless::engine
