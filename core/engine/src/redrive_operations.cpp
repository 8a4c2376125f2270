// RedriveExecution
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html).

#include <string>

#include "loveless/engine/service_error.hpp"

#include "execution_record.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "redrive_eligibility.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

/// `clientToken`: 1..64 printable ASCII characters without spaces (`[!-~]+`).
constexpr std::size_t kMaxClientTokenLength = 64;

void require_client_token(const std::string& token) {
  for (const char c : token) {
    if (c < '!' || c > '~')
      throw_constraint("clientToken", token,
                       "Member must satisfy regular expression pattern: [!-~]+");
  }
}

nlohmann::json redrive_response(asl::TimePoint redrive_date) {
  return {{"redriveDate", asl::to_epoch_seconds(redrive_date)}};
}

}  // namespace

nlohmann::json redrive_execution(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("executionArn");
  const auto token = reader.optional_string("clientToken", 1, kMaxClientTokenLength);
  if (token) require_client_token(*token);
  const auto record = require_execution(context, arn);

  nlohmann::json response;
  record->with_execution([&](asl::Execution& execution) {
    // The same token again: the redrive it made, whatever happened since.
    if (token) {
      if (const auto date = context.redrive_tokens.find(arn, *token, ServiceContext::now())) {
        response = redrive_response(*date);
        return;
      }
    }
    const auto eligibility = redrive_eligibility(context, record->info().state_machine_arn,
                                                 execution, ServiceContext::now());
    if (!eligibility.redrivable) throw ServiceError("ExecutionNotRedrivable", eligibility.reason);
    execution.redrive();
    const auto date = execution.redrive_date().value_or(ServiceContext::now());
    if (token) context.redrive_tokens.remember(arn, *token, date);
    response = redrive_response(date);
  });
  return response;
}

}  // namespace loveless::engine
