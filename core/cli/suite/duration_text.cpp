#include "duration_text.hpp"

#include <charconv>

#include "arguments.hpp"

namespace loveless::cli {

std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text) {
  double value = 0;
  const auto* begin = text.data();
  const auto* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(begin, end, value);
  const std::string unit(rest, end);
  double factor = 0;
  if (unit.empty() || unit == "s") factor = 1000;
  if (unit == "ms") factor = 1;
  if (unit == "m" || unit == "min") factor = 60'000;
  if (unit == "h") factor = 3'600'000;
  if (error != std::errc() || rest == begin || factor == 0 || value <= 0) {
    throw UsageError(option + " takes a positive duration such as 500ms, 30s or 2m, not \"" + text +
                     "\"");
  }
  return std::chrono::milliseconds(static_cast<long long>(value * factor));
}

}  // namespace loveless::cli
