#include "loveless/demo/store.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include <unistd.h>

namespace loveless::demo {
namespace {

void check_key(std::string_view key) {
  const auto invalid = [&](const char* why) {
    throw StoreError(StoreError::Kind::kInvalidKey,
                     "invalid store key '" + std::string(key) + "': " + why);
  };
  if (key.empty()) invalid("empty");
  if (key.front() == '/') invalid("absolute");
  if (key.find('\0') != std::string_view::npos) invalid("contains NUL");
  std::size_t start = 0;
  while (start <= key.size()) {
    const auto end = std::min(key.find('/', start), key.size());
    const auto segment = key.substr(start, end - start);
    if (segment.empty()) invalid("empty segment");
    if (segment == "." || segment == "..") invalid("'.' or '..' segment");
    start = end + 1;
  }
}

// Unique per call without shared state: the pid separates processes, random
// bits separate threads and retries.
std::string temporary_suffix() {
  std::random_device random;
  std::ostringstream suffix;
  suffix << ".tmp." << ::getpid() << "." << std::hex << random() << random();
  return suffix.str();
}

}  // namespace

DurableStore::DurableStore(std::filesystem::path root) : root_(std::move(root)) {}

std::filesystem::path DurableStore::path_of(std::string_view key) const {
  check_key(key);
  return root_ / std::filesystem::path(std::string(key));
}

bool DurableStore::contains(std::string_view key) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(path_of(key), ec);
}

std::string DurableStore::read(std::string_view key) const {
  try {
    return read_file(path_of(key));
  } catch (const StoreError& e) {
    if (e.kind() != StoreError::Kind::kNotFound) throw;
    throw StoreError(StoreError::Kind::kNotFound,
                     "no object '" + std::string(key) + "' in store " + root_.string());
  }
}

void DurableStore::write(std::string_view key, std::string_view content) const {
  write_file_atomically(path_of(key), content);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const auto kind = (errno == ENOENT) ? StoreError::Kind::kNotFound : StoreError::Kind::kIo;
    throw StoreError(kind, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw StoreError(StoreError::Kind::kIo, "cannot read " + path.string());
  return std::move(content).str();
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    throw StoreError(StoreError::Kind::kIo,
                     "cannot create " + path.parent_path().string() + ": " + ec.message());
  }
  auto temporary = path;
  temporary += temporary_suffix();
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, ec);
      throw StoreError(StoreError::Kind::kIo, "cannot write " + temporary.string());
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw StoreError(StoreError::Kind::kIo, "cannot rename into " + path.string());
  }
}

}  // namespace loveless::demo
