#include "loveless/stacks/crash_loop.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

namespace loveless::stacks {
namespace {

constexpr std::streamoff kTailBytes = 4096;

}  // namespace

void CrashLoopGuard::served(const std::string& worker_id) {
  const std::lock_guard lock(mutex_);
  served_.insert(worker_id);
}

std::chrono::milliseconds CrashLoopGuard::died(const Death& death) {
  const std::lock_guard lock(mutex_);
  const bool served = served_.erase(death.worker_id) > 0;
  if (!death.on_its_own || served || death.uptime >= kQuickDeath) {
    early_in_a_row_ = 0;
    return std::chrono::milliseconds(0);
  }
  ++early_in_a_row_;
  auto backoff = kFirstBackoff;
  for (int i = 1; i < early_in_a_row_ && backoff < kMaxBackoff; ++i) backoff *= 2;
  backoff = std::min(backoff, kMaxBackoff);
  if (early_in_a_row_ >= kCrashLoopDeaths && !failure_) {
    std::string message =
        "pool '" + pool_ + "' is crash-looping: " + std::to_string(early_in_a_row_) +
        " workers in a row exited within " + std::to_string(kQuickDeath.count()) +
        " s of starting, before asking for work; the last, " + death.worker_id + ", ended with " +
        death.how + "; the end of its log " + death.log.string();
    const auto tail = tail_of_file(death.log);
    message += tail.empty() ? " (empty)" : ":\n" + tail;
    failure_ = std::move(message);
  }
  return backoff;
}

std::optional<std::string> CrashLoopGuard::failure() const {
  const std::lock_guard lock(mutex_);
  return failure_;
}

std::string tail_of_file(const std::filesystem::path& file, std::size_t lines) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::streamoff>(in.tellg());
  in.seekg(std::max<std::streamoff>(0, size - kTailBytes));
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) all.push_back(line);
  }
  const auto first = all.size() > lines ? all.size() - lines : 0;
  std::string text;
  for (std::size_t i = first; i < all.size(); ++i) {
    text += (i == first ? "" : "\n") + std::string("  | ") + all[i];
  }
  return text;
}

}  // namespace loveless::stacks
