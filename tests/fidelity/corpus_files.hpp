#pragma once

// What the corpus runners (fidelity_corpus, test_state_corpus) share: finding
// case files and reporting each case's differences.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace loveless::fidelity {

/// The `*.json` files among `paths` (files, or folders searched recursively),
/// sorted. Throws CaseFormatError for a path that does not exist.
std::vector<std::filesystem::path> case_files(const std::vector<std::filesystem::path>& paths);

/// The folder case names are relative to: the nearest `cases` folder above
/// `file`, else the file's own folder.
std::filesystem::path root_of(const std::filesystem::path& file);

/// One case's result, as the report prints it.
struct CaseReport {
  std::string name;
  std::string recording;
  std::optional<std::string> known_difference;
  std::vector<std::string> differences;
  double seconds = 0;
};

/// Prints `pass`, `FAIL` (with every difference) or `known` per case, then
/// the totals. A case marked known_difference that matches fails, so that
/// the mark is removed. Returns 0 when nothing failed, else 1.
int print_report(const std::vector<CaseReport>& reports);

}  // namespace loveless::fidelity
