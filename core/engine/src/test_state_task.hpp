#pragma once

#include <chrono>

#include "loveless/asl/test_state.hpp"

namespace loveless::engine {

struct ServiceContext;

/// AWS's bound on one TestState call: "The TestState API can run for up to
/// five minutes. If the execution of a state exceeds this duration, it fails
/// with the States.Timeout error."
inline constexpr std::chrono::minutes kTestStateTimeLimit{5};

/// Does the work of a tested Task state (TestState) as an execution would:
/// through a hidden execution of one Task state on the same resource, given
/// the tested state's effective input (after InputPath and Parameters) and
/// TimeoutSeconds, so that a local Lambda function runs it exactly as it runs
/// an execution's tasks. Blocks until the task ends, `limit` passes (then
/// `States.Timeout`) or the service shuts down (then `States.Runtime`). The hidden execution is in
/// no listing and observers never see it. A resource the engine cannot run fails with
/// `States.Runtime` as in an execution.
asl::TestTaskOutcome run_test_task(ServiceContext& context, const asl::TaskRequest& request,
                                   std::chrono::milliseconds limit = kTestStateTimeLimit);

}  // namespace loveless::engine
