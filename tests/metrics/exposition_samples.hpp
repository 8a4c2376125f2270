#pragma once

// Reads Prometheus text exposition (version 0.0.4) back into samples, so the
// tests can ask for one series by name and labels.

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace loveless::testing {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

/// Every sample line of `text` (comments skipped). Label values may not hold
/// escaped quotes (ours do not).
inline std::vector<Sample> parse_samples(const std::string& text) {
  std::vector<Sample> samples;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    Sample sample;
    auto rest = line;
    const auto brace = line.find('{');
    const auto space = line.find(' ');
    if (brace != std::string::npos && brace < space) {
      sample.name = line.substr(0, brace);
      const auto close = line.find('}', brace);
      auto labels = line.substr(brace + 1, close - brace - 1);
      while (!labels.empty()) {
        const auto equals = labels.find('=');
        const auto end_quote = labels.find('"', equals + 2);
        sample.labels[labels.substr(0, equals)] = labels.substr(equals + 2, end_quote - equals - 2);
        labels = end_quote + 2 <= labels.size() ? labels.substr(end_quote + 2) : "";
      }
      rest = line.substr(close + 1);
    } else {
      sample.name = line.substr(0, space);
      rest = line.substr(space);
    }
    sample.value = std::stod(rest);
    samples.push_back(std::move(sample));
  }
  return samples;
}

/// The value of the one sample named `name` whose labels include `labels`;
/// nullopt when none matches. Several matches are summed.
inline std::optional<double> sample_value(const std::vector<Sample>& samples,
                                          const std::string& name,
                                          const std::map<std::string, std::string>& labels = {}) {
  std::optional<double> sum;
  for (const auto& sample : samples) {
    if (sample.name != name) continue;
    bool match = true;
    for (const auto& [key, value] : labels) {
      const auto it = sample.labels.find(key);
      match = match && it != sample.labels.end() && it->second == value;
    }
    if (match) sum = sum.value_or(0) + sample.value;
  }
  return sum;
}

}  // namespace loveless::testing
