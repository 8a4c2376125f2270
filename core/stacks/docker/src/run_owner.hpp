#pragma once

#include <string>
#include <string_view>

namespace loveless::stacks::docker {

/// Identifies this process as the owner of a run's containers, for the
/// `loveless.owner` label: `<host name>/<pid>/<process start time in clock ticks>`.
/// The start time guards against a recycled pid passing for a live owner.
std::string current_run_owner();

enum class OwnerLiveness { kAlive, kDead, kUnknown };

/// Whether the process an owner label names still runs. kUnknown when the
/// label is malformed or names another host: nothing proves that run dead.
OwnerLiveness owner_liveness(std::string_view owner);

}  // namespace loveless::stacks::docker
