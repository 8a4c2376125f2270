#pragma once

// Approval testing for reporter output: a received text, normalised, is
// compared with tests/reports/baselines/<name>.approved.<ext>. On a mismatch
// the received text is written next to it as <name>.received.<ext> and the
// test fails with the first differing line and the commands to see the
// whole difference and to approve it.

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace loveless::testing {

inline const std::filesystem::path kBaselines = LOVELESS_REPORTS_BASELINES;

inline std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Replaces the value of every `name="..."` attribute with `name="<placeholder>"`.
inline std::string normalise_attribute(std::string text, const std::string& name,
                                       const std::string& placeholder) {
  const auto key = " " + name + "=\"";
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    const auto begin = at + key.size();
    const auto end = text.find('"', begin);
    if (end == std::string::npos) break;
    text.replace(begin, end - begin, placeholder);
  }
  return text;
}

/// `run-YYYYMMDD-HHMMSS-PID` as `run-<id>`.
inline std::string normalise_run_ids(std::string text) {
  const auto digit = [&](std::size_t i) {
    return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  };
  for (auto at = text.find("run-"); at != std::string::npos; at = text.find("run-", at + 1)) {
    auto i = at + 4;
    bool shaped = true;
    for (const std::size_t length : {8U, 6U}) {
      for (std::size_t k = 0; k < length; ++k) shaped = shaped && digit(i++);
      shaped = shaped && i < text.size() && text[i++] == '-';
    }
    if (!shaped || !digit(i)) continue;
    while (digit(i)) ++i;
    text.replace(at, i - at, "run-<id>");
  }
  return text;
}

/// The duration column of the console's summary table (the last figure on
/// each line after `summary (`: `850 ms`, `12.3 s`) as `<duration>`.
inline std::string normalise_table_durations(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("summary (", 0) == 0) in_table = true;
    const auto unit = line.rfind(' ');
    const auto figure = unit == std::string::npos ? unit : line.rfind(' ', unit - 1);
    const auto suffix = unit == std::string::npos ? "" : line.substr(unit + 1);
    if (in_table && figure != std::string::npos && (suffix == "ms" || suffix == "s") &&
        std::isdigit(static_cast<unsigned char>(line[figure + 1])) != 0) {
      line = line.substr(0, figure + 1) + "<duration>";
    }
    out += line + "\n";
  }
  return out;
}

/// Times, durations and run ids in a JSON report replaced by placeholders.
inline nlohmann::json normalise_json(nlohmann::json json) {
  static const std::set<std::string> kTimes = {"started",   "ended",    "start",   "stop",
                                               "end",       "at",       "applied", "triggered",
                                               "scheduled", "timestamp"};
  if (json.is_array()) {
    for (auto& item : json) item = normalise_json(std::move(item));
  } else if (json.is_object()) {
    for (auto& [key, value] : json.items()) {
      if (kTimes.count(key) != 0 && value.is_number()) {
        value = "<time>";
      } else if (key == "duration_s" && value.is_number()) {
        value = "<duration>";
      } else if (key == "run_id" && value.is_string()) {
        value = "<run id>";
      } else {
        value = normalise_json(std::move(value));
      }
    }
  }
  return json;
}

/// Compares `received` with the baseline `name` (a file name with its
/// extension, e.g. `console.txt`): passes when equal, else fails (see above).
inline void approve(const std::string& name, const std::string& received) {
  const auto dot = name.rfind('.');
  const auto stem = name.substr(0, dot);
  const auto extension = dot == std::string::npos ? "" : name.substr(dot);
  const auto approved_file = kBaselines / (stem + ".approved" + extension);
  const auto received_file = kBaselines / (stem + ".received" + extension);
  const auto approved = std::filesystem::exists(approved_file) ? file_text(approved_file) : "";
  if (approved == received && !approved.empty()) {
    std::filesystem::remove(received_file);
    SUCCEED("matches " << approved_file.string());
    return;
  }
  std::ofstream(received_file, std::ios::binary) << received;
  std::istringstream a(approved);
  std::istringstream b(received);
  std::string line_a;
  std::string line_b;
  int line = 0;
  while (true) {
    ++line;
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) break;
    if (!more_a || !more_b || line_a != line_b) {
      if (!more_a) line_a = "(end of file)";
      if (!more_b) line_b = "(end of file)";
      break;
    }
  }
  FAIL("the output differs from the baseline "
       << approved_file.string() << " at line " << line << "\n  approved: " << line_a
       << "\n  received: " << line_b << "\nsee all of it: diff -u " << approved_file.string() << " "
       << received_file.string() << "\napprove it:    mv " << received_file.string() << " "
       << approved_file.string());
}

}  // namespace loveless::testing
