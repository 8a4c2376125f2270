#include "report_destination.hpp"

#include <utility>

#include "loveless/reports/atomic_file.hpp"

namespace loveless::reports {

ReportDestination::ReportDestination(std::filesystem::path file, std::ostream* notices)
    : file_(std::move(file)), notices_(notices) {}

ReportDestination::ReportDestination(std::ostream& out) : out_(&out) {}

void ReportDestination::deliver(std::string_view document) const {
  if (out_ != nullptr) {
    *out_ << document;
    out_->flush();
    return;
  }
  write_report_file(file_, document, notices_);
}

void write_report_file(const std::filesystem::path& file, std::string_view document,
                       std::ostream* notices) {
  write_atomically(file, document);
  if (notices != nullptr) *notices << "  report " << file.string() << "\n";
}

}  // namespace loveless::reports
