#include "png_image.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <zlib.h>

namespace loveless::testing {
namespace {

std::uint32_t big_endian(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

std::uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a);
  const int pb = std::abs(p - b);
  const int pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<std::uint8_t>(a);
  return static_cast<std::uint8_t>(pb <= pc ? b : c);
}

/// Undoes the per-row filters (PNG spec, section 9) in place.
void unfilter(const std::vector<std::uint8_t>& raw, PngImage& image) {
  const auto stride = image.width * image.channels;
  image.pixels.assign(stride * image.height, 0);
  for (std::size_t y = 0; y < image.height; ++y) {
    const auto filter = raw[y * (stride + 1)];
    const auto* in = &raw[y * (stride + 1) + 1];
    auto* row = &image.pixels[y * stride];
    const auto* above = y > 0 ? &image.pixels[(y - 1) * stride] : nullptr;
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= image.channels ? row[i - image.channels] : 0;
      const int b = above != nullptr ? above[i] : 0;
      const int c = above != nullptr && i >= image.channels ? above[i - image.channels] : 0;
      int value = in[i];
      switch (filter) {
        case 0:
          break;
        case 1:
          value += a;
          break;
        case 2:
          value += b;
          break;
        case 3:
          value += (a + b) / 2;
          break;
        case 4:
          value += paeth(a, b, c);
          break;
        default:
          throw std::runtime_error("PNG row " + std::to_string(y) + " has filter " +
                                   std::to_string(filter));
      }
      row[i] = static_cast<std::uint8_t>(value & 0xFF);
    }
  }
}

}  // namespace

Rgb PngImage::at(std::size_t x, std::size_t y) const {
  const auto* pixel = &pixels[(y * width + x) * channels];
  return {pixel[0], pixel[1], pixel[2]};
}

PngImage read_png(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
  static const std::uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (bytes.size() < 8 ||
      !std::equal(std::begin(kSignature), std::end(kSignature), bytes.begin())) {
    throw std::runtime_error(file.string() + " is not a PNG file");
  }
  PngImage image;
  std::vector<std::uint8_t> compressed;
  for (std::size_t at = 8; at + 12 <= bytes.size();) {
    const auto length = big_endian(bytes, at);
    const std::string type(bytes.begin() + static_cast<std::ptrdiff_t>(at + 4),
                           bytes.begin() + static_cast<std::ptrdiff_t>(at + 8));
    const auto data = at + 8;
    if (data + length + 4 > bytes.size()) throw std::runtime_error("a truncated PNG chunk " + type);
    if (type == "IHDR") {
      image.width = big_endian(bytes, data);
      image.height = big_endian(bytes, data + 4);
      const auto depth = bytes[data + 8];
      const auto colour = bytes[data + 9];
      const auto interlace = bytes[data + 12];
      if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0) {
        throw std::runtime_error("a PNG of bit depth " + std::to_string(depth) + ", colour type " +
                                 std::to_string(colour) + ", interlace " +
                                 std::to_string(interlace) + ": only 8-bit RGB(A), not interlaced");
      }
      image.channels = colour == 6 ? 4 : 3;
    } else if (type == "IDAT") {
      compressed.insert(compressed.end(), bytes.begin() + static_cast<std::ptrdiff_t>(data),
                        bytes.begin() + static_cast<std::ptrdiff_t>(data + length));
    } else if (type == "IEND") {
      break;
    }
    at = data + length + 4;
  }
  if (image.channels == 0) throw std::runtime_error("a PNG without IHDR");
  std::vector<std::uint8_t> raw((image.width * image.channels + 1) * image.height);
  uLongf size = raw.size();
  if (::uncompress(raw.data(), &size, compressed.data(), compressed.size()) != Z_OK ||
      size != raw.size()) {
    throw std::runtime_error("the PNG's image data does not inflate to " +
                             std::to_string(raw.size()) + " bytes");
  }
  unfilter(raw, image);
  return image;
}

std::size_t count_near(const PngImage& image, Rgb colour, int tolerance, std::size_t x,
                       std::size_t y, std::size_t width, std::size_t height) {
  std::size_t count = 0;
  const auto near = [&](std::uint8_t a, std::uint8_t b) { return std::abs(a - b) <= tolerance; };
  for (auto row = y; row < std::min(y + height, image.height); ++row) {
    for (auto column = x; column < std::min(x + width, image.width); ++column) {
      const auto pixel = image.at(column, row);
      if (near(pixel.r, colour.r) && near(pixel.g, colour.g) && near(pixel.b, colour.b)) ++count;
    }
  }
  return count;
}

std::size_t count_not_white(const PngImage& image) {
  std::size_t count = 0;
  for (std::size_t y = 0; y < image.height; ++y) {
    for (std::size_t x = 0; x < image.width; ++x) {
      const auto pixel = image.at(x, y);
      if (pixel.r < 245 || pixel.g < 245 || pixel.b < 245) ++count;
    }
  }
  return count;
}

}  // namespace loveless::testing
