#include "history_budget.hpp"

#include <algorithm>

#include <unistd.h>

namespace loveless::engine {

namespace {

constexpr std::size_t kGiB = std::size_t{1} << 30;

/// `8 GiB`, `1.5 GiB`; below a GiB, whole MiB (`3 MiB`).
std::string size_text(std::size_t bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  if (bytes < kGiB) return std::to_string((bytes + kMiB / 2) / kMiB) + " MiB";
  const auto tenths = (bytes * 10 + kGiB / 2) / kGiB;
  return std::to_string(tenths / 10) + (tenths % 10 == 0 ? "" : "." + std::to_string(tenths % 10)) +
         " GiB";
}

}  // namespace

bool HistoryBudget::try_reserve(std::size_t bytes) noexcept {
  auto current = used_.load();
  do {
    if (bytes > limit_ || current > limit_ - bytes) return false;
  } while (!used_.compare_exchange_weak(current, current + bytes));
  return true;
}

void HistoryBudget::release(std::size_t bytes) noexcept { used_.fetch_sub(bytes); }

std::string HistoryBudget::refusal_cause() const {
  return "The executions on this engine hold more than " + size_text(limit_) +
         " of history payloads together, the local engine's limit across executions (AWS "
         "has none, docs/engine.md): executions carrying large payloads through many states. "
         "Keep large data outside the state (S3, a database) and pass references, or restart "
         "the engine to free what finished executions hold.";
}

std::size_t default_history_budget() noexcept {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 2 * kGiB;
  const auto memory = static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_size);
  return std::clamp(memory / 4, kGiB, 8 * kGiB);
}

}  // namespace loveless::engine
