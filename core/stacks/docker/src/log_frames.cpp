#include "log_frames.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace loveless::stacks::docker {

std::string demultiplex_log_frames(std::string_view framed) {
  constexpr std::size_t kHeaderSize = 8;
  std::string payload;
  payload.reserve(framed.size());
  std::size_t at = 0;
  while (framed.size() - at >= kHeaderSize) {
    std::uint32_t size = 0;
    for (std::size_t i = 4; i < kHeaderSize; ++i) {
      size = (size << 8U) | static_cast<unsigned char>(framed[at + i]);
    }
    at += kHeaderSize;
    const std::size_t available = std::min<std::size_t>(size, framed.size() - at);
    payload.append(framed.substr(at, available));
    at += available;
  }
  return payload;
}

}  // namespace loveless::stacks::docker
