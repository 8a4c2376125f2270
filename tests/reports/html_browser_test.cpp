// The HTML report in a real browser: headless Chromium (Debian chromium;
// scripts/setup --with-test-tools) takes a screenshot of the report and dumps
// the DOM of a copy with a probe script appended, which measures the
// timeline as laid out (getBBox, getBoundingClientRect). The test checks that
// the rows, bars and fault markers rendered with a size, and that the
// screenshot shows the markers' colours where the probe found them. Without
// chromium the tests print LOVELESS-SKIP, unless LOVELESS_REQUIRE_TOOLS=1.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "headless_chromium.hpp"
#include "html_fixtures.hpp"
#include "html_reporter.hpp"
#include "metrics_tools.hpp"
#include "png_image.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace loveless;
using namespace loveless::testing;
using namespace std::chrono_literals;

constexpr int kWidth = 1400;
constexpr int kHeight = 2000;
/// The colours of the kill marker's stroke and the wipe-scratch marker's
/// fill (html_reporter.cpp's style).
constexpr Rgb kKillRed{0xe5, 0x39, 0x35};
constexpr Rgb kWipeGreen{0x43, 0xa0, 0x47};

/// Appended to a copy of the report: the timeline as the browser laid it
/// out, as JSON in `<body data-probe>`.
constexpr const char* kProbe = R"js(<script>
(function () {
  const box = (e) => { const b = e.getBoundingClientRect();
    return {x: b.x + scrollX, y: b.y + scrollY, w: b.width, h: b.height}; };
  const svg = document.querySelector('svg.timeline');
  const faults = [...document.querySelectorAll('svg.timeline g.fault')];
  document.body.setAttribute('data-probe', JSON.stringify({
    timeline: svg ? box(svg) : null,
    rows: document.querySelectorAll('svg.timeline g.row').length,
    bars: [...document.querySelectorAll('svg.timeline rect.task')]
      .filter((r) => r.getBBox().width > 0 && r.getBBox().height > 0).length,
    faults: faults.length,
    rendered_faults: faults.filter((g) => {
      const b = g.getBBox(); const r = g.getBoundingClientRect();
      return b.width > 0 && b.height > 0 && r.width > 0 && getComputedStyle(g).display !== 'none';
    }).length,
    markers: faults.map((g) => Object.assign({id: g.id}, box(g.querySelector('.mark')))),
  }));
})();
</script>
)js";

std::string file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string unescape_attribute(std::string text) {
  const std::pair<const char*, const char*> entities[] = {
      {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
  for (const auto& [entity, character] : entities) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, std::string(entity).size(), character);
    }
  }
  return text;
}

/// The report of `recorded` at `dir/report.html` (with `style` added to its
/// stylesheet) and its probed copy at `dir/probe.html`.
fs::path write_report(const fs::path& dir, const RecordedSuite& recorded,
                      const std::string& style = "") {
  const auto report = dir / "report.html";
  reports::HtmlReporter reporter(report, nullptr);
  play(reporter, recorded);
  auto html = file_text(report);
  if (!style.empty()) {
    html.insert(html.find("</style>"), style);
    std::ofstream(report, std::ios::binary) << html;
  }
  html.insert(html.rfind("</body>"), kProbe);
  std::ofstream(dir / "probe.html", std::ios::binary) << html;
  return report;
}

std::string window_size() {
  return "--window-size=" + std::to_string(kWidth) + "," + std::to_string(kHeight);
}

/// The probe's JSON from the DOM Chromium dumped for `dir/probe.html`.
nlohmann::json probe(const fs::path& chromium, const fs::path& dir) {
  const auto run = run_chromium(chromium, dir / "dump",
                                {window_size(), "--dump-dom", file_url(dir / "probe.html")}, 60s);
  INFO("stderr:\n" << run.err.substr(0, 3000));
  REQUIRE_FALSE(run.timed_out);
  REQUIRE(run.exit_code == 0);
  CHECK(run.orphans.empty());
  const std::string key = "data-probe=\"";
  const auto begin = run.out.find(key);
  REQUIRE(begin != std::string::npos);
  const auto end = run.out.find('"', begin + key.size());
  REQUIRE(end != std::string::npos);
  return nlohmann::json::parse(
      unescape_attribute(run.out.substr(begin + key.size(), end - begin - key.size())));
}

/// Chromium's screenshot of `report`, decoded.
PngImage screenshot(const fs::path& chromium, const fs::path& dir, const fs::path& report) {
  const auto png = dir / "screenshot.png";
  const auto run =
      run_chromium(chromium, dir / "shot",
                   {window_size(), "--screenshot=" + png.string(), file_url(report)}, 60s);
  INFO("stderr:\n" << run.err.substr(0, 3000));
  REQUIRE_FALSE(run.timed_out);
  REQUIRE(run.exit_code == 0);
  CHECK(run.orphans.empty());
  REQUIRE(fs::is_regular_file(png));
  return read_png(png);
}

/// How many pixels of `colour` the screenshot has inside `marker`'s box.
std::size_t pixels_in(const PngImage& image, const nlohmann::json& marker, Rgb colour) {
  const auto at = [&](const char* key) {
    return static_cast<std::size_t>(std::max(0.0, marker.at(key).get<double>()));
  };
  return count_near(image, colour, 24, at("x"), at("y"), at("w") + 1, at("h") + 1);
}

}  // namespace

TEST_CASE("headless Chromium renders the timeline rows and bars and fault markers",
          "[reports][chromium]") {
  const auto chromium = tool_or_skip("chromium", "chromium");
  if (!chromium) return;
  const TempDir dir;
  const auto report = write_report(dir.path(), timeline_suite());

  const auto measured = probe(*chromium, dir.path());
  INFO(measured.dump(2));
  CHECK(measured.at("rows") == 3);
  CHECK(measured.at("bars") == 7);
  CHECK(measured.at("faults") == 5);
  CHECK(measured.at("rendered_faults") == 5);
  const auto& timeline = measured.at("timeline");
  REQUIRE(timeline.is_object());
  CHECK(timeline.at("w").get<double>() > 1000);
  CHECK(timeline.at("h").get<double>() > 3 * 28);
  std::map<std::string, nlohmann::json> markers;
  for (const auto& marker : measured.at("markers")) markers[marker.at("id")] = marker;
  for (int id = 1; id <= 5; ++id) {
    const auto name = "s1-fault-" + std::to_string(id);
    REQUIRE(markers.count(name) == 1);
    CHECK(markers[name].at("w").get<double>() > 4);
    CHECK(markers[name].at("h").get<double>() > 4);
  }

  const auto image = screenshot(*chromium, dir.path(), report);
  CHECK(image.width == static_cast<std::size_t>(kWidth));
  CHECK(image.height == static_cast<std::size_t>(kHeight));
  // Not a blank page: text, tables and the timeline's shading.
  CHECK(count_not_white(image) > image.width * image.height / 50);
  // The timeline lies within the screenshot, and the kill and wipe-scratch
  // markers show their colours where the probe measured them.
  REQUIRE(timeline.at("y").get<double>() + timeline.at("h").get<double>() < kHeight);
  CHECK(pixels_in(image, markers["s1-fault-1"], kKillRed) >= 8);
  CHECK(pixels_in(image, markers["s1-fault-3"], kWipeGreen) >= 8);
  // Elsewhere in the marker boxes those colours are not: they are the markers'.
  CHECK(pixels_in(image, markers["s1-fault-3"], kKillRed) == 0);
  CHECK(pixels_in(image, markers["s1-fault-1"], kWipeGreen) == 0);
}

TEST_CASE("the browser check notices fault markers that do not render", "[reports][chromium]") {
  const auto chromium = tool_or_skip("chromium", "chromium");
  if (!chromium) return;
  const TempDir dir;
  const auto report =
      write_report(dir.path(), timeline_suite(), "svg.timeline .fault{display:none}\n");
  const auto measured = probe(*chromium, dir.path());
  INFO(measured.dump(2));
  CHECK(measured.at("faults") == 5);
  CHECK(measured.at("rendered_faults") == 0);
  const auto image = screenshot(*chromium, dir.path(), report);
  const auto& timeline = measured.at("timeline");
  nlohmann::json whole = {{"x", timeline.at("x")},
                          {"y", timeline.at("y")},
                          {"w", timeline.at("w")},
                          {"h", timeline.at("h")}};
  CHECK(pixels_in(image, whole, kKillRed) == 0);
  CHECK(pixels_in(image, whole, kWipeGreen) == 0);
}
