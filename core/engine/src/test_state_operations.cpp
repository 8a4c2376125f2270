// TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html).

#include "loveless/engine/service_error.hpp"

#include "operations.hpp"
#include "service_context.hpp"

namespace loveless::engine {

nlohmann::json test_state(ServiceContext& /*context*/, const nlohmann::json& /*request*/) {
  throw ServiceError("ValidationException", "TestState is not implemented yet");
}

}  // namespace loveless::engine
