#include "path_cache.hpp"

#include <mutex>
#include <string>
#include <unordered_map>

namespace loveless::asl {

JsonPath cached_path(std::string_view text) {
  static std::mutex mutex;
  static std::unordered_map<std::string, JsonPath> cache;
  // Bounded so that generated or fuzzed definitions cannot grow it forever;
  // dropping everything is crude but keeps lookups O(1) and the code small.
  constexpr std::size_t kMaxEntries = 8192;
  std::string key(text);
  {
    std::lock_guard lock(mutex);
    const auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  JsonPath compiled = JsonPath::compile(text);
  std::lock_guard lock(mutex);
  if (cache.size() >= kMaxEntries) cache.clear();
  cache.emplace(std::move(key), compiled);
  return compiled;
}

}  // namespace loveless::asl
