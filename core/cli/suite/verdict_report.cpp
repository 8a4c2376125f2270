#include "verdict_report.hpp"

#include <fstream>
#include <stdexcept>

namespace loveless::cli {
namespace {

constexpr std::size_t kEvidenceLines = 8;

std::string slug(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (keep) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "scenario" : out;
}

}  // namespace

void print_verdicts(std::ostream& out, const scenario::ScenarioSpec& spec,
                    const scenario::RunResult& result, bool verbose) {
  for (const auto& verdict : result.verdicts) {
    out << "  " << checks::to_string(verdict.outcome) << "  " << verdict.check << ": "
        << verdict.summary << "\n";
    const auto shown =
        verbose ? verdict.evidence.size() : std::min(verdict.evidence.size(), kEvidenceLines);
    for (std::size_t i = 0; i < shown; ++i) out << "          " << verdict.evidence[i].text << "\n";
    if (shown < verdict.evidence.size()) {
      out << "          ... " << verdict.evidence.size() - shown << " more (-v shows all)\n";
    }
  }
  const bool should_fail = spec.should_fail();
  out << (result.passed ? "PASSED" : "FAILED") << "  " << spec.name;
  if (should_fail)
    out << (result.passed ? " (expected to fail, and a check failed)"
                          : " (expected to fail, but no check failed)");
  if (result.history.partial) out << " (partial: the run was cut short)";
  out << "\n";
}

std::filesystem::path write_json_report(const std::filesystem::path& dir,
                                        const scenario::ScenarioSpec& spec,
                                        const scenario::RunResult& result) {
  std::filesystem::create_directories(dir);
  nlohmann::json report = {{"scenario", spec.name},
                           {"tags", spec.tags},
                           {"should_fail", spec.should_fail()},
                           {"passed", result.passed},
                           {"verdicts", nlohmann::json::array()},
                           {"history", scenario::to_json(result.history)}};
  for (const auto& verdict : result.verdicts) {
    nlohmann::json evidence = nlohmann::json::array();
    for (const auto& item : verdict.evidence) {
      evidence.push_back({{"text", item.text}, {"data", item.data}});
    }
    report["verdicts"].push_back({{"check", verdict.check},
                                  {"outcome", checks::to_string(verdict.outcome)},
                                  {"summary", verdict.summary},
                                  {"evidence", evidence},
                                  {"measurements", verdict.measurements}});
  }
  const auto path = dir / (slug(spec.name) + ".json");
  const auto temporary = dir / ("." + slug(spec.name) + ".json.tmp");
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << report.dump(2) << "\n";
    if (!file) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
  return path;
}

}  // namespace loveless::cli
