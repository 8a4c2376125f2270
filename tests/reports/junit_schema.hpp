#pragma once

// xmllint --schema tests/reports/junit.xsd on a file, for the tests that
// check a JUnit report is what CI readers take.

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/wait.h>

namespace loveless::testing {

inline const std::filesystem::path kJunitSchema = LOVELESS_JUNIT_XSD;

struct SchemaCheck {
  /// xmllint's exit status: 0 valid, 3 or 4 invalid, 127 xmllint missing.
  int status = -1;
  std::string output;
};

/// Runs `xmllint --noout --schema junit.xsd file`; an absent xmllint reads
/// status 127 (scripts/setup installs libxml2-utils).
inline SchemaCheck check_junit_schema(const std::filesystem::path& file) {
  const auto command =
      "xmllint --noout --schema '" + kJunitSchema.string() + "' '" + file.string() + "' 2>&1";
  SchemaCheck check;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return check;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) check.output += buffer.data();
  const int status = ::pclose(pipe);
  check.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (check.status == 127)
    check.output += "\nxmllint is missing: scripts/setup installs libxml2-utils";
  return check;
}

}  // namespace loveless::testing
