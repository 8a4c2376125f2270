#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// What a Lambda Task state sees from a Runtime API post: a result (the
/// payload as JSON) or an error with its cause.
struct RuntimeOutcome {
  /// Set on success: the payload parsed (an empty payload is null).
  std::optional<nlohmann::json> output;
  std::string error;
  std::string cause;
};

/// The outcome of `/invocation/<id>/response` with `body`: the payload parsed
/// as JSON (at most `asl::kMaxJsonDepth` deep), else `Lambda.Unknown` whose
/// cause says why. Never throws for any body.
RuntimeOutcome runtime_response_outcome(std::string_view body);

/// The outcome of `/invocation/<id>/error` or `/init/error` with `body` and
/// the `Lambda-Runtime-Function-Error-Type` header: Step Functions takes the
/// error name from the payload's `errorType` (else the header, else
/// `Lambda.Unknown` with its fixed cause) and the whole payload as the cause.
/// Never throws for any body.
RuntimeOutcome runtime_error_outcome(std::string_view body, std::string_view error_type_header);

}  // namespace loveless::engine
