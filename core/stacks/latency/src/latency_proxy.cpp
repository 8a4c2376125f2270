#include "loveless/stacks/latency_proxy.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>

#include <fcntl.h>

namespace loveless::stacks {

namespace {

/// Asio opens sockets without SOCK_CLOEXEC: marked here, so a worker process
/// started meanwhile does not inherit the proxy's listener or connections
/// (the process launcher closes what slips through between open and here).
template <typename Socket>
void close_on_exec(Socket& socket) {
  if (!socket.is_open()) return;
  const int fd = socket.native_handle();
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

/// The most one read forwards as one chunk.
constexpr std::size_t kChunkSize = 16 * 1024;
/// A direction stops reading while this much waits to be forwarded.
constexpr std::size_t kMaxQueuedBytes = 1024 * 1024;

/// What the proxy and its connections share (outlives every connection).
struct Shared {
  std::string upstream_host;
  std::string upstream_port;
  std::atomic<std::int64_t> delay_ms{0};
  std::atomic<std::size_t> open{0};
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> queued{0};
  /// (local port, remote port) of every open upstream connection.
  mutable std::mutex upstreams_mutex;
  std::set<std::pair<std::uint16_t, std::uint16_t>> upstreams;
};

/// One accepted client and its upstream connection: two directions, each a
/// read loop feeding a FIFO of chunks that a timer releases at their due time.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket client, Shared& shared)
      : shared_(shared),
        client_(std::move(client)),
        upstream_(client_.get_executor()),
        resolver_(client_.get_executor()),
        to_upstream_(client_, upstream_),
        to_client_(upstream_, client_) {
    shared_.open.fetch_add(1);
  }

  void start() {
    resolver_.async_resolve(
        shared_.upstream_host, shared_.upstream_port, tcp::resolver::numeric_service,
        [self = shared_from_this()](const boost::system::error_code& ec,
                                    const tcp::resolver::results_type& results) {
          if (self->closed_) return;
          if (ec) {
            self->refuse();
            return;
          }
          asio::async_connect(self->upstream_, results,
                              [self](const boost::system::error_code& connect_ec,
                                     const tcp::endpoint& /*endpoint*/) {
                                if (self->closed_) return;
                                if (connect_ec) {
                                  self->refuse();
                                  return;
                                }
                                close_on_exec(self->upstream_);
                                self->register_upstream();
                                self->forward();
                              });
        });
  }

  /// Closes both sides now (queued bytes are dropped). Idempotent.
  void close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    resolver_.cancel();
    to_upstream_.timer.cancel();
    to_client_.timer.cancel();
    client_.close(ignored);
    upstream_.close(ignored);
    if (upstream_ports_) {
      const std::lock_guard lock(shared_.upstreams_mutex);
      shared_.upstreams.erase(*upstream_ports_);
    }
    shared_.queued.fetch_sub(to_upstream_.queued_bytes + to_client_.queued_bytes);
    to_upstream_.queued_bytes = 0;
    to_client_.queued_bytes = 0;
    shared_.open.fetch_sub(1);
  }

 private:
  /// Before any byte is forwarded, so the orchestrator can tell whose call
  /// arrives on this connection (`LatencyProxy::forwards_from`).
  void register_upstream() {
    boost::system::error_code local_ec;
    boost::system::error_code remote_ec;
    const auto local = upstream_.local_endpoint(local_ec);
    const auto remote = upstream_.remote_endpoint(remote_ec);
    if (local_ec || remote_ec) return;
    upstream_ports_ = std::make_pair(local.port(), remote.port());
    const std::lock_guard lock(shared_.upstreams_mutex);
    shared_.upstreams.insert(*upstream_ports_);
  }

  struct Chunk {
    Clock::time_point due;
    std::vector<char> bytes;
  };

  struct Direction {
    Direction(tcp::socket& source, tcp::socket& sink)
        : from(source), to(sink), timer(source.get_executor()) {}
    tcp::socket& from;
    tcp::socket& to;
    asio::steady_timer timer;
    std::array<char, kChunkSize> buffer{};
    std::deque<Chunk> queue;
    std::size_t queued_bytes = 0;
    bool reading = false;
    bool writing = false;
    /// The source ended its stream.
    bool ended = false;
    /// The end was forwarded (shutdown of the sink's sending side).
    bool done = false;
  };

  /// The upstream cannot be reached: reset the client's connection, so it
  /// sees an error rather than an empty answer.
  void refuse() {
    boost::system::error_code ignored;
    client_.set_option(asio::socket_base::linger(true, 0), ignored);
    close();
  }

  void forward() {
    boost::system::error_code ignored;
    client_.set_option(tcp::no_delay(true), ignored);
    upstream_.set_option(tcp::no_delay(true), ignored);
    read(to_upstream_);
    read(to_client_);
  }

  void read(Direction& d) {
    if (closed_ || d.reading || d.ended || d.queued_bytes >= kMaxQueuedBytes) return;
    d.reading = true;
    d.from.async_read_some(
        asio::buffer(d.buffer),
        [self = shared_from_this(), &d](const boost::system::error_code& ec, std::size_t length) {
          d.reading = false;
          if (self->closed_) return;
          if (ec == asio::error::eof) {
            d.ended = true;
            self->pump(d);
            return;
          }
          if (ec) {
            self->close();
            return;
          }
          const auto delay = std::chrono::milliseconds(self->shared_.delay_ms.load());
          d.queue.push_back(
              Chunk{Clock::now() + delay,
                    std::vector<char>(d.buffer.begin(),
                                      d.buffer.begin() + static_cast<std::ptrdiff_t>(length))});
          d.queued_bytes += length;
          self->shared_.queued.fetch_add(length);
          self->pump(d);
          self->read(d);
        });
  }

  /// Forwards the front chunk once due; forwards the end of stream once drained.
  void pump(Direction& d) {
    if (closed_ || d.writing) return;
    if (d.queue.empty()) {
      if (d.ended && !d.done) {
        d.done = true;
        boost::system::error_code ignored;
        d.to.shutdown(tcp::socket::shutdown_send, ignored);
        if (to_upstream_.done && to_client_.done) close();
      }
      return;
    }
    d.writing = true;
    if (d.queue.front().due > Clock::now()) {
      d.timer.expires_at(d.queue.front().due);
      d.timer.async_wait([self = shared_from_this(), &d](const boost::system::error_code& ec) {
        if (self->closed_) return;
        if (ec) {
          self->close();
          return;
        }
        self->write(d);
      });
    } else {
      write(d);
    }
  }

  void write(Direction& d) {
    asio::async_write(d.to, asio::buffer(d.queue.front().bytes),
                      [self = shared_from_this(), &d](const boost::system::error_code& ec,
                                                      std::size_t /*written*/) {
                        d.writing = false;
                        if (self->closed_) return;
                        if (ec) {
                          self->close();
                          return;
                        }
                        d.queued_bytes -= d.queue.front().bytes.size();
                        self->shared_.queued.fetch_sub(d.queue.front().bytes.size());
                        d.queue.pop_front();
                        self->read(d);
                        self->pump(d);
                      });
  }

  Shared& shared_;
  tcp::socket client_;
  tcp::socket upstream_;
  tcp::resolver resolver_;
  Direction to_upstream_;
  Direction to_client_;
  bool closed_ = false;
  std::optional<std::pair<std::uint16_t, std::uint16_t>> upstream_ports_;
};

std::string port_string(std::uint16_t port) { return std::to_string(port); }

/// `http://host:port[/]` -> host and port.
std::pair<std::string, std::uint16_t> parse_endpoint(std::string_view endpoint) {
  const auto invalid = [&] {
    return std::invalid_argument("latency proxy: expected an endpoint http://host:port, got '" +
                                 std::string(endpoint) + "'");
  };
  constexpr std::string_view kScheme = "http://";
  if (!endpoint.starts_with(kScheme)) throw invalid();
  std::string_view rest = endpoint.substr(kScheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) throw invalid();
  std::string_view host = rest.substr(0, colon);
  const std::string_view port_text = rest.substr(colon + 1);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.empty() || host.find_first_of("/[]@") != std::string_view::npos) throw invalid();
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    throw invalid();
  }
  return {std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace

struct LatencyProxy::Impl {
  // Declared first, destroyed last: connections destroyed with the io_context's
  // pending handlers still refer to it.
  Shared shared;
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  tcp::acceptor acceptor{io};
  asio::steady_timer retry{io};
  std::vector<std::weak_ptr<Connection>> connections;
  std::uint16_t port = 0;
  std::promise<void> stopped;
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (!acceptor.is_open() || ec == asio::error::operation_aborted) return;
      if (ec) {
        // Out of descriptors, or the like: try again shortly, without spinning.
        retry.expires_after(std::chrono::milliseconds(10));
        retry.async_wait([this](const boost::system::error_code& retry_ec) {
          if (!retry_ec) accept();
        });
        return;
      }
      close_on_exec(socket);
      shared.accepted.fetch_add(1);
      std::erase_if(connections, [](const auto& weak) { return weak.expired(); });
      auto connection = std::make_shared<Connection>(std::move(socket), shared);
      connections.push_back(connection);
      connection->start();
      accept();
    });
  }

  void close_all() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    retry.cancel();
    for (const auto& weak : connections) {
      if (auto connection = weak.lock()) connection->close();
    }
    connections.clear();
  }
};

LatencyProxy::LatencyProxy(std::string upstream_host, std::uint16_t upstream_port)
    : impl_(std::make_unique<Impl>()) {
  impl_->shared.upstream_host = std::move(upstream_host);
  impl_->shared.upstream_port = port_string(upstream_port);
  const tcp::endpoint listen(asio::ip::address_v4::loopback(), 0);
  try {
    impl_->acceptor.open(listen.protocol());
    close_on_exec(impl_->acceptor);
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(listen);
    impl_->acceptor.listen();
  } catch (const boost::system::system_error& error) {
    throw std::system_error(
        error.code().value(), std::generic_category(),
        std::string("latency proxy: cannot listen on 127.0.0.1: ") + error.what());
  }
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  impl_->thread = std::thread([impl = impl_.get()] {
    for (;;) {
      try {
        impl->io.run();
        break;
      } catch (...) {
        // A handler threw (out of memory): keep serving the other connections.
      }
    }
    impl->stopped.set_value();
  });
}

LatencyProxy::LatencyProxy(std::string_view upstream_endpoint)
    : LatencyProxy(parse_endpoint(upstream_endpoint).first,
                   parse_endpoint(upstream_endpoint).second) {}

LatencyProxy::~LatencyProxy() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->close_all(); });
  impl_->work.reset();
  // Closing completes every pending operation; a lookup of a slow name
  // server cannot be interrupted, so stop waiting for it after a while.
  if (impl_->stopped.get_future().wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
    impl_->io.stop();
  }
  impl_->thread.join();
}

std::string LatencyProxy::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::uint16_t LatencyProxy::port() const { return impl_->port; }

void LatencyProxy::set_delay(std::chrono::milliseconds delay) {
  impl_->shared.delay_ms.store(std::max<std::int64_t>(0, delay.count()));
}

std::chrono::milliseconds LatencyProxy::delay() const {
  return std::chrono::milliseconds(impl_->shared.delay_ms.load());
}

std::size_t LatencyProxy::open_connections() const { return impl_->shared.open.load(); }

std::size_t LatencyProxy::accepted_connections() const { return impl_->shared.accepted.load(); }

std::size_t LatencyProxy::queued_bytes() const { return impl_->shared.queued.load(); }

bool LatencyProxy::forwards_from(std::uint16_t local_port, std::uint16_t upstream_port) const {
  const std::lock_guard lock(impl_->shared.upstreams_mutex);
  return impl_->shared.upstreams.contains({local_port, upstream_port});
}

}  // namespace loveless::stacks
