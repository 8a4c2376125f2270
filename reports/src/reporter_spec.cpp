#include "loveless/reports/reporter_spec.hpp"

#include <algorithm>
#include <system_error>

#include "console_reporter.hpp"
#include "html_reporter.hpp"
#include "json_reporter.hpp"
#include "junit_reporter.hpp"

namespace loveless::reports {
namespace {

std::string names_text() {
  std::string text;
  const auto& names = reporter_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return text;
}

std::string extension_of(const std::string& name) {
  if (name == "junit") return "xml";
  if (name == "console") return "txt";
  return name;
}

void prepare_directory(const std::filesystem::path& dir) {
  if (dir.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw ReporterSpecError("cannot create the report directory " + dir.string() + ": " +
                            error.message() + "; choose a writable path");
  }
}

}  // namespace

const std::vector<std::string>& reporter_names() {
  static const std::vector<std::string> kNames = {"console", "json", "junit", "html"};
  return kNames;
}

ReporterSpec parse_reporter_spec(const std::string& text) {
  ReporterSpec spec;
  const auto separator = text.find("::");
  spec.name = text.substr(0, separator);
  const auto& names = reporter_names();
  if (std::find(names.begin(), names.end(), spec.name) == names.end()) {
    const auto colon = spec.name.find(':');
    if (colon != std::string::npos) {
      throw ReporterSpecError("reporter '" + text +
                              "': options follow the name after '::', as in " +
                              spec.name.substr(0, colon) + "::" + spec.name.substr(colon + 1));
    }
    throw ReporterSpecError("unknown reporter '" + spec.name + "': use " + names_text() +
                            " (e.g. -r junit::out=report.xml)");
  }
  bool has_out = false;
  for (auto at = separator; at != std::string::npos;) {
    const auto next = text.find("::", at + 2);
    const auto option = text.substr(at + 2, next == std::string::npos ? next : next - at - 2);
    at = next;
    const auto equals = option.find('=');
    const auto key = option.substr(0, equals);
    if (key != "out") {
      throw ReporterSpecError("reporter " + spec.name + " has no option '" + key +
                              "': the only option is out=FILE (e.g. " + spec.name +
                              "::out=report." + extension_of(spec.name) + ")");
    }
    if (has_out) throw ReporterSpecError("reporter '" + text + "' gives out= twice");
    has_out = true;
    const auto value = equals == std::string::npos ? "" : option.substr(equals + 1);
    if (value.empty()) {
      throw ReporterSpecError("reporter '" + text +
                              "': out= needs a file name, or - for stdout (e.g. " + spec.name +
                              "::out=-)");
    }
    if (value != "-") spec.out = value;
  }
  return spec;
}

void check_outputs(const std::vector<ReporterSpec>& specs) {
  std::size_t on_stdout = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].to_stdout()) ++on_stdout;
    for (std::size_t k = 0; k < i; ++k) {
      if (!specs[i].to_stdout() && specs[i].out == specs[k].out) {
        throw ReporterSpecError("two reporters write " + specs[i].out.string() +
                                ": give each its own out=FILE");
      }
    }
  }
  if (on_stdout > 1) {
    throw ReporterSpecError(
        "more than one reporter writes to stdout: give all but one an out=FILE (e.g. -r console "
        "-r junit::out=junit.xml)");
  }
}

std::unique_ptr<Reporter> make_reporter(const ReporterSpec& spec, const ReporterContext& context) {
  if (!spec.to_stdout()) prepare_directory(spec.out.parent_path());
  if (spec.name == "console") {
    if (spec.to_stdout()) return std::make_unique<ConsoleReporter>(*context.out, context.verbose);
    return std::make_unique<ConsoleReporter>(spec.out, context.notices, context.verbose);
  }
  if (spec.name == "json") {
    if (spec.to_stdout()) return std::make_unique<JsonReporter>(*context.out);
    return std::make_unique<JsonReporter>(spec.out, context.notices);
  }
  if (spec.name == "junit") {
    if (spec.to_stdout()) return std::make_unique<JunitReporter>(*context.out);
    return std::make_unique<JunitReporter>(spec.out, context.notices);
  }
  if (spec.name == "html") {
    if (spec.to_stdout()) return std::make_unique<HtmlReporter>(*context.out);
    return std::make_unique<HtmlReporter>(spec.out, context.notices);
  }
  throw ReporterSpecError("unknown reporter '" + spec.name + "': use " + names_text());
}

std::vector<std::unique_ptr<Reporter>> make_report_dir_reporters(const std::filesystem::path& dir,
                                                                 const ReporterContext& context) {
  prepare_directory(dir);
  std::vector<std::unique_ptr<Reporter>> reporters;
  reporters.push_back(std::make_unique<JsonDirectoryReporter>(dir, context.notices));
  reporters.push_back(std::make_unique<JsonReporter>(dir / "report.json", context.notices));
  reporters.push_back(std::make_unique<JunitReporter>(dir / "junit.xml", context.notices));
  reporters.push_back(std::make_unique<HtmlReporter>(dir / "report.html", context.notices));
  return reporters;
}

}  // namespace loveless::reports
