#pragma once

// Reading the HTML report in tests: the timeline of one scenario, counts of
// an exact string, and the normalisation of its times and run ids.

#include <cstddef>
#include <string>

#include <catch2/catch.hpp>

#include "approval.hpp"

namespace loveless::testing {

/// How often `needle` occurs in `text` (not overlapping).
inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

/// The `<svg class="timeline" id="<prefix>-timeline" ...>...</svg>` element.
inline std::string timeline_of(const std::string& html, const std::string& prefix) {
  const auto begin = html.find("<svg class=\"timeline\" id=\"" + prefix + "-timeline\"");
  REQUIRE(begin != std::string::npos);
  const auto end = html.find("</svg>", begin);
  REQUIRE(end != std::string::npos);
  return html.substr(begin, end + 6 - begin);
}

/// `<time datetime="...">...</time>` as `<time>`, run ids as `run-<id>`.
inline std::string normalise_html(std::string html) {
  const std::string open = "<time datetime=\"";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto end = html.find("</time>", at);
    if (end == std::string::npos) break;
    html.replace(at, end + 7 - at, "<time>");
  }
  return normalise_run_ids(html);
}

}  // namespace loveless::testing
