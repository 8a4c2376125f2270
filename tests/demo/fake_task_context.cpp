#include "fake_task_context.hpp"

#include <random>
#include <sstream>

#include <unistd.h>

namespace loveless::demo::testing {

TemporaryDirectory::TemporaryDirectory(const std::string& label) {
  std::random_device random;
  std::ostringstream name;
  name << "loveless-" << label << "-" << ::getpid() << "-" << std::hex << random();
  path_ = std::filesystem::temp_directory_path() / name.str();
  std::filesystem::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace loveless::demo::testing
