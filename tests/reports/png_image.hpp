#pragma once

// Just enough PNG for the browser test to look at Chromium's screenshots:
// 8-bit RGB or RGBA, not interlaced (what Chromium writes), inflated with
// zlib and unfiltered.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace loveless::testing {

struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
};

struct PngImage {
  std::size_t width = 0;
  std::size_t height = 0;
  /// 3 (RGB) or 4 (RGBA).
  std::size_t channels = 0;
  /// Rows top to bottom, `channels` bytes a pixel.
  std::vector<std::uint8_t> pixels;

  [[nodiscard]] Rgb at(std::size_t x, std::size_t y) const;
};

/// Decodes `file`. Throws `std::runtime_error` saying what is wrong (not a
/// PNG, a truncated chunk, a bit depth, colour type or interlacing this
/// decoder does not read, data that does not inflate).
PngImage read_png(const std::filesystem::path& file);

/// Pixels in the rectangle (clipped to the image) whose channels are each
/// within `tolerance` of `colour`.
std::size_t count_near(const PngImage& image, Rgb colour, int tolerance, std::size_t x,
                       std::size_t y, std::size_t width, std::size_t height);

/// Pixels in the whole image that are not white (any channel below 245).
std::size_t count_not_white(const PngImage& image);

}  // namespace loveless::testing
