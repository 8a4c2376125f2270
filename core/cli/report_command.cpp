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

/// The report file (the one argument that is not an option) and the rest.
std::pair<std::filesystem::path, std::vector<std::string>> split_file(
    const std::vector<std::string>& args) {
  std::filesystem::path file;
  std::vector<std::string> options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if ((arg == "-r" || arg == "--reporter") && i + 1 < args.size()) {
      options.push_back(arg);
      options.push_back(args[++i]);
    } else if (arg.empty() || arg.front() != '-') {
      if (!file.empty()) throw UsageError("report takes one JSON report, not also '" + arg + "'");
      file = arg;
    } else {
      options.push_back(arg);
    }
  }
  if (file.empty()) throw UsageError("report needs a JSON report: loveless report RUN.json");
  return {file, options};
}

}  // namespace

int run_report(const std::vector<std::string>& args) {
  const auto [file, rest] = split_file(args);
  std::vector<reports::ReporterSpec> specs;
  bool verbose = false;
  ArgumentParser parser;
  parser.flag({"-v", "--verbose"}, &verbose)
      .option("-r", [&](const std::string& v) { specs.push_back(reporter_spec(v)); })
      .option("--reporter", [&](const std::string& v) { specs.push_back(reporter_spec(v)); });
  parser.parse(rest);
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

}  // namespace loveless::cli
