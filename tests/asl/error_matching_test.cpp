#include "loveless/asl/error_matching.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/asl/errors.hpp"

using loveless::asl::error_equals_matches;
using loveless::asl::is_predefined_error;
using nlohmann::json;

TEST_CASE("an exact name matches itself only", "[error_matching]") {
  CHECK(error_equals_matches(json{"MyError"}, "MyError"));
  CHECK_FALSE(error_equals_matches(json{"MyError"}, "myerror"));
  CHECK_FALSE(error_equals_matches(json{"MyError"}, "MyError2"));
  CHECK(error_equals_matches(json{"A", "B", "Lambda.Unknown"}, "Lambda.Unknown"));
  CHECK(error_equals_matches(json{"States.Timeout"}, "States.Timeout"));
  CHECK_FALSE(error_equals_matches(json::array(), "MyError"));
}

TEST_CASE("States.ALL matches everything but States.Runtime", "[error_matching]") {
  const json all = {"States.ALL"};
  for (const char* error :
       {"MyError", "States.Timeout", "States.TaskFailed", "States.Permissions",
        "States.HeartbeatTimeout", "States.IntrinsicFailure", "States.ParameterPathFailure",
        "States.NoChoiceMatched", "States.BranchFailed", "Lambda.Unknown",
        // Recorded on AWS: a Catch on States.ALL takes an oversized task result.
        "States.DataLimitExceeded"}) {
    INFO(error);
    CHECK(error_equals_matches(all, error));
  }
  CHECK_FALSE(error_equals_matches(all, "States.Runtime"));
  CHECK_FALSE(error_equals_matches(all, "States.Runtime", true));
}

TEST_CASE("States.Runtime matches no rule, not even one naming it", "[error_matching]") {
  // Recorded on AWS: a Catch on ["States.Runtime"] let a failed OutputPath end
  // the execution.
  CHECK_FALSE(error_equals_matches(json{"States.Runtime"}, "States.Runtime"));
  CHECK_FALSE(error_equals_matches(json{"States.ALL", "States.Runtime"}, "States.Runtime"));
  CHECK_FALSE(error_equals_matches(json{"States.TaskFailed"}, "States.Runtime"));
  // A rule naming States.DataLimitExceeded matches it, and nothing else.
  CHECK(error_equals_matches(json{"States.DataLimitExceeded"}, "States.DataLimitExceeded"));
  CHECK_FALSE(error_equals_matches(json{"States.DataLimitExceeded"}, "States.Runtime"));
  CHECK_FALSE(error_equals_matches(json{"States.DataLimitExceeded"}, "MyError"));
  CHECK_FALSE(error_equals_matches(json{"States.Timeout"}, "States.DataLimitExceeded"));
}

TEST_CASE("States.TaskFailed matches everything but timeouts", "[error_matching]") {
  const json task_failed = {"States.TaskFailed"};
  CHECK(error_equals_matches(task_failed, "MyError"));
  CHECK(error_equals_matches(task_failed, "States.TaskFailed"));
  CHECK(error_equals_matches(task_failed, "States.Permissions"));
  CHECK(error_equals_matches(task_failed, "Lambda.ServiceException"));
  // The documented wildcard: any error but the timeouts (and States.Runtime,
  // which nothing matches), so an oversized result too.
  CHECK(error_equals_matches(task_failed, "States.DataLimitExceeded"));
  CHECK_FALSE(error_equals_matches(task_failed, "States.Timeout"));
  CHECK_FALSE(error_equals_matches(task_failed, "States.Timeout", true));
  CHECK_FALSE(error_equals_matches(task_failed, "States.HeartbeatTimeout"));
}

TEST_CASE("a heartbeat expiry matches States.Timeout and States.HeartbeatTimeout",
          "[error_matching]") {
  CHECK(error_equals_matches(json{"States.Timeout"}, "States.Timeout", true));
  CHECK(error_equals_matches(json{"States.HeartbeatTimeout"}, "States.Timeout", true));
  CHECK(error_equals_matches(json{"States.ALL"}, "States.Timeout", true));
  // A plain task timeout is not a heartbeat expiry.
  CHECK_FALSE(error_equals_matches(json{"States.HeartbeatTimeout"}, "States.Timeout", false));
  CHECK_FALSE(error_equals_matches(json{"Other"}, "States.Timeout", true));
}

TEST_CASE("malformed ErrorEquals values match nothing", "[error_matching]") {
  CHECK_FALSE(error_equals_matches(json("States.ALL"), "MyError"));
  CHECK_FALSE(error_equals_matches(json{1, nullptr}, "MyError"));
  CHECK(error_equals_matches(json{1, "MyError"}, "MyError"));
}

TEST_CASE("the predefined error names", "[error_matching][errors]") {
  for (const char* name :
       {"States.ALL", "States.DataLimitExceeded", "States.HeartbeatTimeout", "States.Timeout",
        "States.TaskFailed", "States.Permissions", "States.ResultPathMatchFailure",
        "States.ParameterPathFailure", "States.BranchFailed", "States.NoChoiceMatched",
        "States.IntrinsicFailure", "States.ExceedToleratedFailureThreshold", "States.Runtime"}) {
    INFO(name);
    CHECK(is_predefined_error(name));
  }
  CHECK_FALSE(is_predefined_error("States.Custom"));
  CHECK_FALSE(is_predefined_error("states.all"));
  CHECK_FALSE(is_predefined_error("MyError"));
  CHECK_FALSE(is_predefined_error(""));
}
