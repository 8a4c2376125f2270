#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace loveless::cli {

/// Bad command-line usage; the message says what is wrong. Exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A small parser for one command's options: `--name value`, `--name=value`
/// and flags (`-v`). No positional arguments.
///
/// Thread-safety: single-threaded set-up code.
class ArgumentParser {
 public:
  /// An option taking a value; `assign` receives it and may throw UsageError.
  ArgumentParser& option(std::string name, std::function<void(const std::string&)> assign);
  /// A flag without value, under one or more spellings (`-v`, `--verbose`).
  ArgumentParser& flag(std::vector<std::string> names, bool* target);
  /// Throws UsageError for an unknown option, a missing value or a value a
  /// flag does not take.
  void parse(const std::vector<std::string>& args) const;

 private:
  struct Option {
    std::string name;
    std::function<void(const std::string&)> assign;
  };
  struct Flag {
    std::vector<std::string> names;
    bool* target;
  };
  std::vector<Option> options_;
  std::vector<Flag> flags_;
};

/// Parses a TCP port (0..65535). Throws UsageError naming `option`.
int parse_port(const std::string& option, const std::string& value);

}  // namespace loveless::cli
