#pragma once

namespace loveless::worker {

/// Installs (once per process) a SIGTERM and SIGINT handler that only sets
/// an async-signal-safe flag; the adapters poll `stop_requested()` from their
/// threads. SA_RESTART keeps blocking calls of other threads from failing
/// with EINTR. The handler stays installed after the adapters return.
void install_stop_handler();

/// True once SIGTERM or SIGINT arrived after `install_stop_handler()`.
[[nodiscard]] bool stop_requested() noexcept;

}  // namespace loveless::worker
