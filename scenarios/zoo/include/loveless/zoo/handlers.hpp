#pragma once

#include <map>
#include <string>

#include "loveless/worker/worker.hpp"

namespace loveless::zoo {

/// Every behaviour of the zoo by name (docs/zoo.md): the workers that rely on
/// local state (flawed_behaviours, src/flawed.cpp) and those that use scratch
/// or memory harmlessly (clean_behaviours, src/clean.cpp). Each handler takes
/// the parameters of a zoo workflow state,
/// `{"step": "work"|"first"|"second", "attempt": RetryCount, "execution": name,
///   "input": the execution input}`,
/// and fails with worker::TaskFailure and one of the error names below.
std::map<std::string, worker::Handler> flawed_behaviours();
std::map<std::string, worker::Handler> clean_behaviours();
/// Both sets in one table, for `zoo-worker <behaviour>`.
std::map<std::string, worker::Handler> zoo_behaviours();

// Not retried by the zoo workflows: a retry cannot repair these.
inline constexpr const char* kInvalidInput = "Zoo.InvalidInput";
inline constexpr const char* kCheckpointMissing = "Zoo.CheckpointMissing";
inline constexpr const char* kHandoffMissing = "Zoo.HandoffMissing";
inline constexpr const char* kLocked = "Zoo.Locked";
// Retried (States.TaskFailed): the worker is stopping mid-task, or the first
// attempt of a checkpointing behaviour stops half way on purpose.
inline constexpr const char* kInterrupted = "Zoo.Interrupted";
inline constexpr const char* kTransient = "Zoo.Transient";

}  // namespace loveless::zoo
