#include "service_context.hpp"

#include <chrono>
#include <exception>
#include <random>
#include <utility>

#include <spdlog/spdlog.h>

namespace loveless::engine {
namespace {

std::uint64_t initial_seed(std::uint64_t configured) {
  if (configured != 0) return configured;
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
}

}  // namespace

ServiceContext::ServiceContext(ServiceOptions service_options)
    : options(std::move(service_options)),
      history_budget(std::make_shared<HistoryBudget>(options.history_payload_budget != 0
                                                         ? options.history_payload_budget
                                                         : default_history_budget())),
      seeds_(initial_seed(options.seed)) {}

std::uint64_t ServiceContext::next_seed() {
  std::lock_guard lock(seed_mutex_);
  return seeds_.next_u64();
}

asl::TimePoint ServiceContext::now() {
  return std::chrono::time_point_cast<asl::Duration>(std::chrono::system_clock::now());
}

std::string ServiceContext::worker_of(const CallerAddress* caller) {
  if (caller == nullptr) return "";
  std::shared_ptr<const WorkerResolver> resolver;
  {
    std::lock_guard lock(resolver_mutex_);
    resolver = resolver_;
  }
  if (!resolver) return "";
  try {
    return (*resolver)(*caller);
  } catch (const std::exception& e) {
    // The call goes on under its workerName; the runner reports it as unmapped.
    spdlog::warn("cannot tell which worker called from {}:{}: {}", caller->address, caller->port,
                 e.what());
    return "";
  }
}

void ServiceContext::set_worker_resolver(WorkerResolver resolver) {
  auto shared = resolver ? std::make_shared<const WorkerResolver>(std::move(resolver)) : nullptr;
  std::lock_guard lock(resolver_mutex_);
  resolver_ = std::move(shared);
}

}  // namespace loveless::engine
