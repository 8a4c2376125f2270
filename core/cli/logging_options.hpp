#pragma once

// Where Loveless's log lines go: standard error (never standard output, which
// may carry a JUnit or JSON report), at a level the user picks, without colour
// when NO_COLOR is set or standard error is not a terminal; and, for a scenario
// run, a copy in its run directory (docs/cli.md, "Logs").

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/common.h>
#include <spdlog/sinks/sink.h>

#include <CLI/CLI.hpp>

namespace loveless::cli {

/// The logging options of one command.
struct LoggingOptions {
  /// The console's level when neither flag nor --log-level is given.
  spdlog::level::level_enum default_level = spdlog::level::warn;
  /// `-v, --verbose`: the console shows `verbose_level` and above.
  bool verbose = false;
  spdlog::level::level_enum verbose_level = spdlog::level::info;
  /// `-q, --quiet`: errors only.
  bool quiet = false;
  /// `--log-level LEVEL`: trace, debug, info, warn, error or off; wins over
  /// -v and -q.
  std::optional<spdlog::level::level_enum> level;

  /// The console's level these options give.
  [[nodiscard]] spdlog::level::level_enum console_level() const;
};

/// Adds `-v, --verbose` (described as `verbose_help`), `-q, --quiet`
/// (`quiet_help`) and `--log-level LEVEL` to `app`, storing into `options`.
void add_logging_options(CLI::App& app, LoggingOptions& options, const std::string& verbose_help,
                         const std::string& quiet_help = "Log errors only");

/// Makes spdlog's default logger write to standard error at the options'
/// level, coloured only on a terminal and without NO_COLOR (no-color.org).
/// Call once, after parsing, before anything logs.
void configure_logging(const LoggingOptions& options);

/// True when NO_COLOR is set to anything but "" (no-color.org).
bool no_color_requested();

/// While it lives, every log line at info and above also goes to `file`
/// (created with its directory), e.g. `<run dir>/loveless.log`. Needs
/// configure_logging first; without it, does nothing.
///
/// Thread-safety: lines logged from any thread reach the file.
class RunLogFile {
 public:
  explicit RunLogFile(const std::filesystem::path& file);
  ~RunLogFile();
  RunLogFile(const RunLogFile&) = delete;
  RunLogFile& operator=(const RunLogFile&) = delete;

 private:
  std::shared_ptr<spdlog::sinks::sink> sink_;
};

}  // namespace loveless::cli
