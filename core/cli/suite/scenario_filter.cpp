#include "scenario_filter.hpp"

#include <algorithm>
#include <cctype>

namespace loveless::cli {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool name_matches(const std::string& pattern, const std::string& name) {
  const auto p = lower(pattern);
  const auto n = lower(name);
  const bool star_front = !p.empty() && p.front() == '*';
  const bool star_back = p.size() > 1 && p.back() == '*';
  const auto core =
      p.substr(star_front ? 1 : 0, p.size() - (star_front ? 1 : 0) - (star_back ? 1 : 0));
  if (star_front && star_back) return n.find(core) != std::string::npos;
  if (star_front) return n.size() >= core.size() && n.ends_with(core);
  if (star_back) return n.starts_with(core);
  return n == p;
}

bool has_tag(const std::vector<std::string>& tags, const std::string& tag) {
  const auto wanted = lower(tag);
  return std::any_of(tags.begin(), tags.end(),
                     [&](const std::string& t) { return lower(t) == wanted; });
}

}  // namespace

ScenarioFilter::ScenarioFilter(const std::string& expression) {
  std::size_t at = 0;
  while (at <= expression.size() && !expression.empty()) {
    auto comma = expression.find(',', at);
    if (comma == std::string::npos) comma = expression.size();
    const auto part = expression.substr(at, comma - at);
    Term term;
    if (part.find('[') == std::string::npos) {
      term.name_pattern = part;
    } else {
      std::size_t i = 0;
      while (i < part.size()) {
        const bool negated = part[i] == '~';
        if (negated) ++i;
        if (i < part.size() && part[i] == '[') {
          const auto close = part.find(']', i);
          const auto tag =
              part.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
          (negated ? term.excluded_tags : term.required_tags).push_back(tag);
          i = close == std::string::npos ? part.size() : close + 1;
        } else {
          ++i;
        }
      }
    }
    alternatives_.push_back(std::move(term));
    at = comma + 1;
  }
}

bool ScenarioFilter::matches(const std::string& name, const std::vector<std::string>& tags) const {
  if (alternatives_.empty()) return true;
  return std::any_of(alternatives_.begin(), alternatives_.end(), [&](const Term& term) {
    if (!term.name_pattern.empty() && !name_matches(term.name_pattern, name)) return false;
    for (const auto& tag : term.required_tags) {
      if (!has_tag(tags, tag)) return false;
    }
    for (const auto& tag : term.excluded_tags) {
      if (has_tag(tags, tag)) return false;
    }
    return true;
  });
}

}  // namespace loveless::cli
