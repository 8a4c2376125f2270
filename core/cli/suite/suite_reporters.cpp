#include "suite_reporters.hpp"

#include <algorithm>

#include "loveless/injectors/injector.hpp"

namespace loveless::cli {

reports::ScenarioInfo scenario_info(const scenario::ScenarioSpec& spec) {
  reports::ScenarioInfo info;
  info.name = spec.name;
  info.tags = spec.tags;
  info.should_fail = spec.should_fail();
  info.source_file = spec.source_file.string();
  info.source_line = spec.source_line;
  for (const auto& injector : spec.injectors)
    info.injectors.push_back(injectors::describe(injector));
  return info;
}

reports::ReporterSet make_suite_reporters(const std::vector<reports::ReporterSpec>& specs,
                                          const std::filesystem::path& report_dir,
                                          const reports::ReporterContext& context) {
  // The console keeps stdout unless a -r spec claims it: `-r junit::out=FILE`
  // adds a report, it does not silence the verdicts.
  auto chosen = specs;
  const bool stdout_free =
      std::none_of(chosen.begin(), chosen.end(), [](const auto& spec) { return spec.to_stdout(); });
  if (stdout_free) chosen.insert(chosen.begin(), reports::parse_reporter_spec("console"));
  reports::check_outputs(chosen);
  reports::ReporterSet reporters;
  for (const auto& spec : chosen) reporters.add(reports::make_reporter(spec, context));
  if (!report_dir.empty()) {
    for (auto& reporter : reports::make_report_dir_reporters(report_dir, context)) {
      reporters.add(std::move(reporter));
    }
  }
  return reporters;
}

bool stdout_holds_a_report(const std::vector<reports::ReporterSpec>& specs) {
  for (const auto& spec : specs) {
    if (spec.to_stdout() && spec.name != "console") return true;
  }
  return false;
}

}  // namespace loveless::cli
