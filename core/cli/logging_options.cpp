#include "logging_options.hpp"

#include <cstdlib>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "arguments.hpp"
#include "command_line.hpp"

namespace loveless::cli {
namespace {

/// The level of the file copy a RunLogFile adds.
constexpr auto kFileLevel = spdlog::level::info;

/// The sinks behind the default logger configure_logging installs: the
/// console, plus whatever RunLogFile adds and removes while others log.
std::shared_ptr<spdlog::sinks::dist_sink_mt>& sinks() {
  static std::shared_ptr<spdlog::sinks::dist_sink_mt> instance;
  return instance;
}

}  // namespace

spdlog::level::level_enum LoggingOptions::console_level() const {
  if (level) return *level;
  if (quiet) return spdlog::level::err;
  if (verbose) return verbose_level;
  return default_level;
}

void add_logging_options(CLI::App& app, LoggingOptions& options, const std::string& verbose_help,
                         const std::string& quiet_help) {
  app.add_flag("-v,--verbose", options.verbose, verbose_help);
  app.add_flag("-q,--quiet", options.quiet, quiet_help);
  add_value_option(
      app, "--log-level",
      [&options](const std::string& value) {
        const auto level = spdlog::level::from_str(value);
        // from_str answers `off` for any name it does not know.
        if (level == spdlog::level::off && value != "off") {
          throw UsageError("--log-level takes trace, debug, info, warn, error or off, not '" +
                           value + "'");
        }
        options.level = level;
      },
      "Log at LEVEL and above on stderr: trace, debug, info, warn, error, off", "LEVEL");
}

bool no_color_requested() {
  const char* value = std::getenv("NO_COLOR");
  return value != nullptr && *value != '\0';
}

void configure_logging(const LoggingOptions& options) {
  // `automatic` colours only when stderr is a terminal (spdlog checks isatty
  // and TERM).
  const auto mode =
      no_color_requested() ? spdlog::color_mode::never : spdlog::color_mode::automatic;
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(mode);
  const auto level = options.console_level();
  console->set_level(level);
  auto dist = std::make_shared<spdlog::sinks::dist_sink_mt>();
  dist->add_sink(console);
  sinks() = dist;
  auto logger = std::make_shared<spdlog::logger>("loveless", dist);
  // Lines below the console's level are still made for a run's log file.
  logger->set_level(std::min(level, kFileLevel));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

RunLogFile::RunLogFile(const std::filesystem::path& file) {
  if (!sinks()) return;
  try {
    sink_ = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string());
    sink_->set_level(kFileLevel);
    sinks()->add_sink(sink_);
  } catch (const spdlog::spdlog_ex& e) {
    sink_.reset();
    spdlog::warn("no log file {}: {}", file.string(), e.what());
  }
}

RunLogFile::~RunLogFile() {
  if (sink_ && sinks()) {
    sink_->flush();
    sinks()->remove_sink(sink_);
  }
}

}  // namespace loveless::cli
