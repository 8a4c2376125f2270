#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "loveless/worker/worker.hpp"

namespace loveless::demo::testing {

/// A TaskContext for calling handlers directly: a fixed worker name and scratch
/// directory, never stopping.
class FakeTaskContext : public worker::TaskContext {
 public:
  explicit FakeTaskContext(std::filesystem::path scratch, std::string worker = "fake-worker-1")
      : scratch_(std::move(scratch)), worker_(std::move(worker)) {}
  [[nodiscard]] worker::Role role() const override { return worker::Role::kActivity; }
  [[nodiscard]] const std::string& worker_name() const override { return worker_; }
  [[nodiscard]] const std::string& invocation_id() const override { return invocation_; }
  [[nodiscard]] std::chrono::milliseconds remaining_time() const override {
    return std::chrono::milliseconds::max();
  }
  void heartbeat() override {}
  [[nodiscard]] bool stopping() const override { return stopping_; }
  [[nodiscard]] const std::filesystem::path& scratch_dir() const override { return scratch_; }

  bool stopping_ = false;

 private:
  std::filesystem::path scratch_;
  std::string worker_;
  std::string invocation_ = "fake-invocation";
};

/// A fresh directory under the system temporary directory, removed at scope exit.
class TemporaryDirectory {
 public:
  explicit TemporaryDirectory(const std::string& label);
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace loveless::demo::testing
