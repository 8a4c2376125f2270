#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace loveless::demo {

/// A key the store does not hold, or a key that is not valid.
class StoreError : public std::runtime_error {
 public:
  enum class Kind { kNotFound, kInvalidKey, kIo };
  StoreError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

/// The demo's durable store: a directory standing in for an S3 bucket. It is
/// the only way data passes between the workflow's steps; workers reach it
/// through `LOVELESS_DEMO_STORE` (a path shared by every worker, mounted into
/// containers). Keys are relative paths of `/`-separated segments, none empty,
/// `.` or `..`.
///
/// Writes are atomic (a temporary file in the same directory, then rename), so
/// a worker killed mid-write leaves either the old object or the new one, never
/// half of one, and a retried task that writes the same key with the same
/// content changes nothing, as an S3 PUT does.
///
/// Thread-safety: stateless apart from the root; any thread, any process.
class DurableStore {
 public:
  explicit DurableStore(std::filesystem::path root);

  [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }
  /// The file that holds `key`. Throws `StoreError` (kInvalidKey).
  [[nodiscard]] std::filesystem::path path_of(std::string_view key) const;
  [[nodiscard]] bool contains(std::string_view key) const;
  /// The object's bytes. Throws `StoreError` (kNotFound, kInvalidKey, kIo).
  [[nodiscard]] std::string read(std::string_view key) const;
  /// Creates or replaces the object atomically. Throws `StoreError` (kInvalidKey, kIo).
  void write(std::string_view key, std::string_view content) const;

 private:
  std::filesystem::path root_;
};

/// Reads a whole local file. Throws `StoreError` (kNotFound when it does not
/// exist, kIo otherwise).
std::string read_file(const std::filesystem::path& path);

/// Writes a whole local file through a temporary file and a rename, creating
/// parent directories. Throws `StoreError` (kIo).
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace loveless::demo
