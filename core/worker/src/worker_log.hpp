#pragma once

#include <string_view>

namespace loveless::worker {

/// Writes one line `loveless-worker: <message>` to stderr with a single
/// write(2), so lines from the poller, heartbeat and handler threads do not
/// interleave. Never throws: a worker must not die because stderr is closed.
void log_line(std::string_view message) noexcept;

}  // namespace loveless::worker
