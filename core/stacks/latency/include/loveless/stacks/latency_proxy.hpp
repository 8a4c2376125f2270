#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace loveless::stacks {

/// A loopback TCP proxy in front of the orchestrator's endpoint, one per
/// worker, through which the runner delays that worker's traffic (the
/// `latency` fault): the worker's `AWS_ENDPOINT_URL_SFN` points at
/// `endpoint()`, every connection it opens is forwarded to the upstream
/// host:port, and `set_delay()` holds each chunk of bytes that long before
/// forwarding it, in both directions. A request/response round trip thus takes
/// at least twice the delay longer.
///
/// Bytes keep their order in each direction (one delay queue per direction
/// and connection; a shorter delay set later never overtakes bytes already
/// queued). The delay applies to chunks read from the moment `set_delay`
/// returns; chunks already queued keep theirs. Like real network latency, a
/// delay longer than the client's read timeout makes its calls fail (an AWS
/// SDK then retries or reports a timeout; an activity worker's long poll is
/// cut short), which is the point of the fault.
///
/// Connections: an end of stream from one side is forwarded to the other
/// (after the bytes queued before it), and the connection is closed once both
/// directions ended; an error on either side closes both at once. A client
/// whose upstream cannot be reached is accepted and then closed, so it sees a
/// connection error (reset or closed before a response) while the proxy keeps
/// serving. Each direction buffers at most 1 MiB before it stops reading.
///
/// One I/O thread (Boost.Asio); the destructor closes the listener and every
/// connection and joins it. Thread-safety: every member may be called from
/// any thread.
class LatencyProxy {
 public:
  /// Listens on 127.0.0.1:<ephemeral port> and forwards to `upstream_host`
  /// (a name or address, resolved for each connection) on `upstream_port`.
  /// Throws `std::system_error` when it cannot listen.
  LatencyProxy(std::string upstream_host, std::uint16_t upstream_port);
  /// The same, from an endpoint URL `http://host:port` (as
  /// `LocalStack::endpoint()` returns). Throws `std::invalid_argument` for
  /// anything else (https, no port, a path).
  explicit LatencyProxy(std::string_view upstream_endpoint);
  ~LatencyProxy();
  LatencyProxy(const LatencyProxy&) = delete;
  LatencyProxy& operator=(const LatencyProxy&) = delete;
  LatencyProxy(LatencyProxy&&) = delete;
  LatencyProxy& operator=(LatencyProxy&&) = delete;

  /// `http://127.0.0.1:<port>`: the endpoint to give the worker.
  [[nodiscard]] std::string endpoint() const;
  [[nodiscard]] std::uint16_t port() const;

  /// Delays every chunk forwarded from now on, in both directions, by `delay`
  /// (zero: none). Negative delays count as zero.
  void set_delay(std::chrono::milliseconds delay);
  [[nodiscard]] std::chrono::milliseconds delay() const;

  /// Connections currently open (accepted and not yet closed on both sides).
  [[nodiscard]] std::size_t open_connections() const;
  /// Connections accepted since the start.
  [[nodiscard]] std::size_t accepted_connections() const;
  /// Bytes read and not yet forwarded, both directions of every connection
  /// (what the delay holds back at this moment).
  [[nodiscard]] std::size_t queued_bytes() const;
  /// Whether one of its open upstream connections runs from loopback port
  /// `local_port` to `upstream_port`: how the orchestrator, which sees the
  /// proxy as the caller, tells that a call is this proxy's worker's. A
  /// connection is registered before its first byte is forwarded and
  /// unregistered when it closes.
  [[nodiscard]] bool forwards_from(std::uint16_t local_port, std::uint16_t upstream_port) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loveless::stacks
