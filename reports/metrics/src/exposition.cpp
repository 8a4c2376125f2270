#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

#include <prometheus/text_serializer.h>

#include "loveless/metrics/exporters.hpp"

#include <unistd.h>

namespace loveless::metrics {

std::string exposition_text(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

void check_metrics_file(const std::filesystem::path& file) {
  const auto directory =
      file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    throw ExportError("the metrics file's directory " + directory.string() +
                      " does not exist: create it, or name a file in an existing directory");
  }
  if (file.filename().empty()) {
    throw ExportError("the metrics file " + file.string() + " names no file");
  }
}

void write_metrics_file(prometheus::Registry& registry, const std::filesystem::path& file) {
  check_metrics_file(file);
  const auto text = exposition_text(registry);
  // Not `*.prom`: node_exporter's textfile collector skips the temporary file.
  const auto temporary =
      file.parent_path() / ("." + file.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw ExportError("cannot write the metrics file " + temporary.string());
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw ExportError("cannot rename " + temporary.string() + " to " + file.string() + ": " +
                      error.message());
  }
}

}  // namespace loveless::metrics
