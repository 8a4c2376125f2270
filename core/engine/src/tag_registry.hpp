#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace loveless::engine {

/// One tag: key and value.
using Tag = std::pair<std::string, std::string>;

/// The tags of state machines and activities, by resource ARN, each
/// resource's in the order their keys were first added (ListTagsForResource
/// returns them so, as AWS does).
///
/// Thread-safety: every method may be called from any thread.
class TagRegistry {
 public:
  /// Most tags one resource may carry (AWS's quota: 50 per resource).
  static constexpr std::size_t kMaxTags = 50;

  /// Adds `tags` to `arn` (a key already there gets the new value; of a key
  /// given twice, the last value). Throws `TooManyTags` when the resource
  /// would carry more than kMaxTags, adding none.
  void add(const std::string& arn, const std::vector<Tag>& tags);
  /// Removes the tags with these keys; unknown keys are ignored.
  void remove(const std::string& arn, const std::vector<std::string>& keys);
  [[nodiscard]] std::vector<Tag> list(const std::string& arn) const;
  /// Forgets every tag of `arn` (its resource was deleted).
  void erase(const std::string& arn);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Tag>> tags_;
};

}  // namespace loveless::engine
