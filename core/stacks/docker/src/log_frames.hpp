#pragma once

#include <string>
#include <string_view>

namespace loveless::stacks::docker {

/// Removes the Docker Engine API's stream framing from a container's log
/// output (`GET /containers/{id}/logs` of a container created without a TTY):
/// each frame is an 8-byte header {stream, 0, 0, 0, size as 4 bytes big-endian}
/// followed by `size` bytes of payload. Payloads are concatenated in order, so
/// stdout and stderr stay interleaved as the container wrote them. A truncated
/// last frame keeps what arrived.
std::string demultiplex_log_frames(std::string_view framed);

}  // namespace loveless::stacks::docker
