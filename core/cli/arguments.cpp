#include "arguments.hpp"

#include <charconv>

namespace loveless::cli {

int parse_port(const std::string& option, const std::string& value) {
  int port = -1;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, port);
  if (ec != std::errc() || ptr != end || port < 0 || port > 65535) {
    throw UsageError(option + " must be a port number 0..65535, got '" + value + "'");
  }
  return port;
}

}  // namespace loveless::cli
