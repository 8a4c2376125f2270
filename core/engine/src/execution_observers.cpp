#include "execution_observers.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>

namespace loveless::engine {
namespace {

thread_local bool inside_notify = false;

}  // namespace

ExecutionObservers::Notifying::Notifying() : outer_(inside_notify) { inside_notify = true; }

ExecutionObservers::Notifying::~Notifying() { inside_notify = outer_; }

void ExecutionObservers::refuse_reentry(const char* operation) {
  if (inside_notify) {
    throw std::logic_error(std::string(operation) +
                           " called from an execution observer (queue the notice instead)");
  }
}

std::uint64_t ExecutionObservers::add(ExecutionObserver observer) {
  if (!observer) throw std::invalid_argument("observe: the observer is empty");
  refuse_reentry("observe");
  std::unique_lock lock(mutex_);
  const auto id = next_id_++;
  observers_.emplace_back(id, std::move(observer));
  count_.store(observers_.size());
  return id;
}

void ExecutionObservers::remove(std::uint64_t id) {
  refuse_reentry("unobserve");
  ExecutionObserver removed;
  {
    std::unique_lock lock(mutex_);
    const auto it = std::find_if(observers_.begin(), observers_.end(),
                                 [id](const auto& entry) { return entry.first == id; });
    if (it == observers_.end()) return;
    removed = std::move(it->second);
    observers_.erase(it);
    count_.store(observers_.size());
  }
  // `removed` (and whatever its captures own) is destroyed without the lock.
}

void ExecutionObservers::call(const ExecutionObserver& observer,
                              const ExecutionNotice& notice) noexcept {
  try {
    observer(notice);
  } catch (const std::exception& e) {
    spdlog::warn("{}: an execution observer threw on event {} ({}): {}", notice.execution_arn,
                 notice.event.id, notice.event.type, e.what());
  } catch (...) {
    spdlog::warn("{}: an execution observer threw on event {} ({})", notice.execution_arn,
                 notice.event.id, notice.event.type);
  }
}

}  // namespace loveless::engine
