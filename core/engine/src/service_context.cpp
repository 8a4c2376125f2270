#include "service_context.hpp"

#include <chrono>
#include <random>
#include <utility>

namespace loveless::engine {
namespace {

std::uint64_t initial_seed(std::uint64_t configured) {
  if (configured != 0) return configured;
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
}

}  // namespace

ServiceContext::ServiceContext(ServiceOptions service_options)
    : options(std::move(service_options)), seeds_(initial_seed(options.seed)) {}

std::uint64_t ServiceContext::next_seed() {
  std::lock_guard lock(seed_mutex_);
  return seeds_.next_u64();
}

asl::TimePoint ServiceContext::now() {
  return std::chrono::time_point_cast<asl::Duration>(std::chrono::system_clock::now());
}

}  // namespace loveless::engine
