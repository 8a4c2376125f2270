// `loveless report RUN.json [-r SPEC]... [-v]`: renders the reports of a JSON
// report again (docs/report-schema.md, "Rendering again").
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/reports/report_json.hpp"
#include "loveless/reports/reporter_spec.hpp"

#include "arguments.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace loveless::cli {
namespace {

reports::ReporterSpec reporter_spec(const std::string& text) {
  try {
    return reports::parse_reporter_spec(text);
  } catch (const reports::ReporterSpecError& e) {
    throw UsageError(e.what());
  }
}

/// What `loveless report` was given.
struct ReportOptions {
  std::filesystem::path file;
  std::vector<reports::ReporterSpec> specs;
  bool verbose = false;
};

int render(ReportOptions& o) {
  const auto& file = o.file;
  auto& specs = o.specs;
  const auto verbose = o.verbose;
  if (file.empty()) throw UsageError("report needs a JSON report: loveless report RUN.json");
  if (specs.empty()) specs.push_back(reporter_spec("console"));

  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  reports::ParsedReport report;
  try {
    report = reports::parse_report(nlohmann::json::parse(text.str()));
  } catch (const std::exception& e) {
    std::cerr << "loveless: " << file.string() << ": " << e.what() << "\n";
    return exit_codes::kUsage;
  }

  reports::ReporterSet reporters;
  try {
    reports::check_outputs(specs);
    const reports::ReporterContext context{&std::cout, &std::cerr, verbose};
    for (const auto& spec : specs) reporters.add(reports::make_reporter(spec, context));
  } catch (const reports::ReporterSpecError& e) {
    throw UsageError(e.what());
  }
  try {
    reporters.suite_started(report.suite);
    for (const auto& scenario : report.scenarios) {
      reporters.scenario_started(scenario.info);
      reporters.scenario_ended(scenario.info, scenario.result);
    }
    reporters.suite_ended(report.totals);
  } catch (const reports::ReportWriteError& e) {
    std::cerr << "loveless: " << e.what() << "\n";
    return exit_codes::kFailure;
  }
  return report.totals.failed == 0 ? exit_codes::kSuccess : exit_codes::kFailure;
}

}  // namespace

CommandBody add_report_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "report", "Render the reports of a JSON report again (docs/report-schema.md)");
  auto o = std::make_shared<ReportOptions>();
  // Not ->required(): the message below says what to type.
  command->add_option("report", o->file, "A JSON report of a suite run (-r json::out=FILE)")
      ->type_name("RUN.json");
  add_repeated_option(
      *command, "-r,--reporter",
      [o](const std::string& v) { o->specs.push_back(reporter_spec(v)); },
      "console, json::out=FILE, junit::out=FILE or html::out=FILE (out=- or no out: stdout); "
      "repeatable; default console",
      "SPEC");
  command->add_flag("-v,--verbose", o->verbose, "All evidence on the console");
  return [o] { return render(*o); };
}

}  // namespace loveless::cli
