#include "redrive_tokens.hpp"

namespace loveless::engine {

std::optional<asl::TimePoint> RedriveTokens::find(const std::string& execution_arn,
                                                  const std::string& token, asl::TimePoint now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(execution_arn);
  if (it == entries_.end()) return std::nullopt;
  for (const auto& entry : it->second) {
    if (entry.token == token && now - entry.redrive_date <= kLifetime) return entry.redrive_date;
  }
  return std::nullopt;
}

void RedriveTokens::remember(const std::string& execution_arn, const std::string& token,
                             asl::TimePoint redrive_date) {
  std::lock_guard lock(mutex_);
  auto& tokens = entries_[execution_arn];
  tokens.push_back(Entry{token, redrive_date});
  while (tokens.size() > kTokensPerExecution) tokens.pop_front();
}

}  // namespace loveless::engine
