#pragma once

#include <stdexcept>
#include <string>

namespace loveless::cli {

/// Bad command-line usage; the message says what is wrong. Exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses a TCP port (0..65535). Throws UsageError naming `option`.
int parse_port(const std::string& option, const std::string& value);

}  // namespace loveless::cli
