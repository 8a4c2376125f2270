// The PromQL in docs/metrics.md's example table and in the Grafana dashboard
// (docs/grafana-loveless.json) parses: every expression becomes a recording
// rule that `promtool check rules` must accept, and each names a loveless_
// metric the exposition has.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/process.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/metrics/exporters.hpp"
#include "loveless/metrics/suite_metrics.hpp"

#include "metrics_tools.hpp"
#include "recorded_run.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace loveless;
using namespace loveless::testing;

const fs::path kDocs = LOVELESS_DOCS_DIR;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The last `code` of each table row under "### Example queries".
std::vector<std::string> doc_queries() {
  std::vector<std::string> queries;
  std::istringstream in(read_text(kDocs / "metrics.md"));
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("### Example queries")) inside = true;
    if (!inside) continue;
    if (line.starts_with("## ") || line.starts_with("On the live endpoint")) break;
    const auto end = line.rfind('`');
    if (!line.starts_with("| ") || end == std::string::npos || end == 0) continue;
    const auto start = line.rfind('`', end - 1);
    if (start == std::string::npos) continue;
    queries.push_back(line.substr(start + 1, end - start - 1));
  }
  return queries;
}

void collect_exprs(const nlohmann::json& node, std::vector<std::string>& exprs) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "expr" && value.is_string()) exprs.push_back(value.get<std::string>());
      collect_exprs(value, exprs);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect_exprs(item, exprs);
  }
}

std::vector<std::string> dashboard_queries() {
  std::vector<std::string> exprs;
  collect_exprs(nlohmann::json::parse(read_text(kDocs / "grafana-loveless.json")), exprs);
  // Grafana's variable, as Grafana substitutes it for "All".
  for (auto& expr : exprs) expr = std::regex_replace(expr, std::regex("\\$scenario"), ".*");
  return exprs;
}

/// Every loveless_ metric name (histograms by their base name) the exposition has.
std::set<std::string> exported_names() {
  metrics::SuiteMetrics metrics;
  auto recorder = metrics.start("kill recovers");
  recorder->phase_started(history::Phase::kChaos);
  finish(*recorder, judged(recorded_run()));
  std::set<std::string> names;
  const std::regex type_line("# TYPE (loveless_[a-z_]+) ");
  const auto text = metrics::exposition_text(*metrics.registry());
  for (std::sregex_iterator it(text.begin(), text.end(), type_line), end; it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

void check_rules(const std::vector<std::string>& queries, const std::string& what) {
  REQUIRE(queries.size() >= 5);
  const auto names = exported_names();
  const std::regex metric("loveless_[a-z_]+");
  for (const auto& query : queries) {
    CAPTURE(what, query);
    std::smatch found;
    REQUIRE(std::regex_search(query, found, metric));
    auto name = found.str();
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix) && !names.contains(name))
        name.resize(name.size() - std::strlen(suffix));
    }
    CHECK(names.contains(name));
  }
  const auto promtool = tool_or_skip("promtool", "prometheus");
  if (!promtool) return;
  const TempDir dir;
  nlohmann::json rules = {{"groups", nlohmann::json::array()}};
  nlohmann::json group = {{"name", "loveless_docs"}, {"rules", nlohmann::json::array()}};
  for (std::size_t i = 0; i < queries.size(); ++i) {
    group["rules"].push_back(
        {{"record", "loveless_docs:query_" + std::to_string(i)}, {"expr", queries[i]}});
  }
  rules["groups"].push_back(group);
  const auto file = dir.path() / "rules.yml";
  std::ofstream(file) << rules.dump(2);  // JSON is YAML
  boost::process::ipstream out;
  boost::process::child child(promtool->string(), "check", "rules", file.string(),
                              (boost::process::std_out & boost::process::std_err) > out);
  std::ostringstream text;
  for (std::string line; std::getline(out, line);) text << line << '\n';
  child.wait();
  INFO(what << ":\n" << text.str());
  CHECK(child.exit_code() == 0);
}

}  // namespace

TEST_CASE("the example queries of docs/metrics.md parse and name exported metrics",
          "[metrics][docs]") {
  check_rules(doc_queries(), "docs/metrics.md");
}

TEST_CASE("the queries of the Grafana dashboard parse and name exported metrics",
          "[metrics][docs]") {
  check_rules(dashboard_queries(), "docs/grafana-loveless.json");
}
