#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loveless/asl/clock.hpp"

namespace loveless::engine {

struct ActivityRecord {
  std::string arn;
  std::string name;
  asl::TimePoint creation_date{};
};

/// The activities of the service, by ARN.
///
/// Thread-safety: every method may be called from any thread; records are copies.
class ActivityRegistry {
 public:
  /// Adds the activity, or returns the existing one of that ARN (CreateActivity
  /// is idempotent by name).
  ActivityRecord create(ActivityRecord record);
  [[nodiscard]] std::optional<ActivityRecord> find(const std::string& arn) const;
  [[nodiscard]] bool exists(const std::string& arn) const;
  /// Records with an ARN greater than `after`, at most `limit + 1`.
  [[nodiscard]] std::vector<ActivityRecord> list_after(const std::string& after,
                                                       std::size_t limit) const;
  /// Returns whether it existed.
  bool remove(const std::string& arn);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, ActivityRecord> records_;
};

}  // namespace loveless::engine
