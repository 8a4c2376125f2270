#pragma once

// What every Loveless binary's command line shares: CLI11 set up the same
// way (--help, --version, repeated options, our exit codes) and the parse
// that turns a mistake into one clear message with a suggestion.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace loveless::cli {

/// Loveless's version, as `project(loveless VERSION ...)` sets it.
std::string loveless_version();

/// Sets `app` up as every Loveless command line: `-h, --help`, `--version`
/// printing `version_text`, a value option given twice keeps the last one, and
/// the usage text's footer `footer` (e.g. exit codes). Call before adding
/// subcommands, which inherit it.
void configure_app(CLI::App& app, const std::string& version_text, const std::string& footer = "");

/// Adds an option taking one value, named `names` (`"-r,--reporter"`);
/// `assign` checks and stores it and throws UsageError (cli/arguments.hpp)
/// with what to change. `value_name` is the placeholder the help shows.
CLI::Option* add_value_option(CLI::App& app, const std::string& names,
                              std::function<void(const std::string&)> assign,
                              const std::string& description, const std::string& value_name);

/// Like add_value_option, for an option that may be repeated: `assign` gets
/// every value, in order.
CLI::Option* add_repeated_option(CLI::App& app, const std::string& names,
                                 std::function<void(const std::string&)> assign,
                                 const std::string& description, const std::string& value_name);

/// Parses `argc`/`argv` into `app` and runs the option callbacks. Returns
/// the exit code to end with now: 0 after printing `--help` or `--version`
/// (to stdout), 2 after a usage mistake (printed on stderr: what is wrong,
/// the nearest option or subcommand when one is near, and how to see the
/// help). Returns nothing when the program should go on.
std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv);

/// The known name nearest to `typed` (at most a third of its letters off, or
/// `typed` its prefix), empty when none is near: `--senario` gives `--scenario`.
std::string nearest_name(const std::string& typed, const std::vector<std::string>& known);

}  // namespace loveless::cli
