#include "loveless/stacks/latency_routes.hpp"

#include <charconv>
#include <stdexcept>
#include <utility>

namespace loveless::stacks {
namespace {

/// `host:port` as the Runtime API is given (no scheme).
std::pair<std::string, std::uint16_t> split_host_port(const std::string& address) {
  const auto colon = address.rfind(':');
  std::uint16_t port = 0;
  const auto* begin = address.data() + (colon == std::string::npos ? 0 : colon + 1);
  const auto* end = address.data() + address.size();
  const auto [last, error] = std::from_chars(begin, end, port);
  if (colon == std::string::npos || colon == 0 || error != std::errc() || last != end ||
      port == 0) {
    throw std::invalid_argument("latency routes: expected a Runtime API address host:port, got '" +
                                address + "'");
  }
  return {address.substr(0, colon), port};
}

}  // namespace

LatencyRoutes::~LatencyRoutes() = default;

LatencyProxy& LatencyRoutes::route(const std::string& worker_id, const std::string& upstream,
                                   bool endpoint_is_url) {
  const std::lock_guard lock(mutex_);
  auto& routes = workers_[worker_id];
  auto& proxy = routes.by_upstream[upstream];
  if (!proxy) {
    if (endpoint_is_url) {
      proxy = std::make_unique<LatencyProxy>(std::string_view(upstream));
    } else {
      auto [host, port] = split_host_port(upstream);
      proxy = std::make_unique<LatencyProxy>(std::move(host), port);
    }
    proxy->set_delay(routes.delay);
  }
  return *proxy;
}

std::string LatencyRoutes::sfn_endpoint(const std::string& worker_id, const std::string& direct) {
  return route(worker_id, direct, true).endpoint();
}

std::string LatencyRoutes::runtime_api(const std::string& worker_id, const std::string& direct) {
  return "127.0.0.1:" + std::to_string(route(worker_id, direct, false).port());
}

void LatencyRoutes::set_latency(const std::string& worker_id, std::chrono::milliseconds delay) {
  const std::lock_guard lock(mutex_);
  const auto found = workers_.find(worker_id);
  if (found == workers_.end()) {
    throw std::out_of_range("latency routes: worker " + worker_id +
                            " has no route (it was started without one, or has ended)");
  }
  found->second.delay = delay;
  for (auto& [upstream, proxy] : found->second.by_upstream) proxy->set_delay(delay);
}

void LatencyRoutes::release(const std::string& worker_id) {
  Routes released;
  {
    const std::lock_guard lock(mutex_);
    const auto found = workers_.find(worker_id);
    if (found == workers_.end()) return;
    released = std::move(found->second);
    workers_.erase(found);
  }
  // The proxies close and join their threads here, outside the lock.
}

std::chrono::milliseconds LatencyRoutes::latency(const std::string& worker_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = workers_.find(worker_id);
  return found == workers_.end() ? std::chrono::milliseconds(0) : found->second.delay;
}

std::optional<std::string> LatencyRoutes::worker_of_upstream(std::uint16_t local_port,
                                                             std::uint16_t upstream_port) const {
  const std::lock_guard lock(mutex_);
  for (const auto& [worker, routes] : workers_) {
    for (const auto& [upstream, proxy] : routes.by_upstream) {
      if (proxy->forwards_from(local_port, upstream_port)) return worker;
    }
  }
  return std::nullopt;
}

std::size_t LatencyRoutes::open_routes() const {
  const std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (const auto& [worker, routes] : workers_) count += routes.by_upstream.size();
  return count;
}

}  // namespace loveless::stacks
