#include "tag_registry.hpp"

#include <algorithm>

#include "loveless/engine/service_error.hpp"

namespace loveless::engine {
namespace {

std::vector<Tag>::iterator find_key(std::vector<Tag>& tags, const std::string& key) {
  return std::find_if(tags.begin(), tags.end(), [&](const Tag& tag) { return tag.first == key; });
}

}  // namespace

void TagRegistry::add(const std::string& arn, const std::vector<Tag>& tags) {
  std::lock_guard lock(mutex_);
  auto merged = tags_[arn];
  for (const auto& tag : tags) {
    if (const auto it = find_key(merged, tag.first); it != merged.end()) {
      it->second = tag.second;
    } else {
      merged.push_back(tag);
    }
  }
  if (merged.size() > kMaxTags) {
    if (tags_[arn].empty()) tags_.erase(arn);
    throw ServiceError("TooManyTags", "Too many tags: '" + arn + "' would carry " +
                                          std::to_string(merged.size()) + " tags; at most " +
                                          std::to_string(kMaxTags) + " are allowed");
  }
  tags_[arn] = std::move(merged);
}

void TagRegistry::remove(const std::string& arn, const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  const auto it = tags_.find(arn);
  if (it == tags_.end()) return;
  auto& tags = it->second;
  for (const auto& key : keys) {
    if (const auto found = find_key(tags, key); found != tags.end()) tags.erase(found);
  }
}

std::vector<Tag> TagRegistry::list(const std::string& arn) const {
  std::lock_guard lock(mutex_);
  const auto it = tags_.find(arn);
  return it == tags_.end() ? std::vector<Tag>() : it->second;
}

void TagRegistry::erase(const std::string& arn) {
  std::lock_guard lock(mutex_);
  tags_.erase(arn);
}

}  // namespace loveless::engine
