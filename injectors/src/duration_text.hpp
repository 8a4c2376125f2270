#pragma once

#include <chrono>
#include <string>

namespace loveless::injectors {

/// `2 s` for whole seconds, else `250 ms`: how injector descriptions write a
/// duration.
inline std::string millis(std::chrono::milliseconds value) {
  const auto count = value.count();
  if (count != 0 && count % 1000 == 0) return std::to_string(count / 1000) + " s";
  return std::to_string(count) + " ms";
}

}  // namespace loveless::injectors
