#pragma once

#include <filesystem>
#include <ostream>
#include <string_view>

namespace loveless::reports {

/// Where a file reporter's document goes when the suite ends: a stream
/// (`out=-`, stdout), or a file written atomically (`write_atomically`) and
/// then announced as `  report FILE` on `notices` (may be null).
class ReportDestination {
 public:
  ReportDestination(std::filesystem::path file, std::ostream* notices);
  /// `out` must outlive the destination.
  explicit ReportDestination(std::ostream& out);

  /// Writes the whole document. Throws `ReportWriteError` as
  /// `write_atomically` does; a stream is written and flushed.
  void deliver(std::string_view document) const;

 private:
  std::filesystem::path file_;
  std::ostream* out_ = nullptr;
  std::ostream* notices_ = nullptr;
};

/// `document` written atomically to `file`, then `  report FILE` on
/// `notices` (may be null). Throws `ReportWriteError`.
void write_report_file(const std::filesystem::path& file, std::string_view document,
                       std::ostream* notices);

}  // namespace loveless::reports
