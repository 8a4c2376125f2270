// The host file audit: fanotify on the host's file systems, recording what
// workers' processes write outside their scratch and later reads of it, as the
// history's history::HostFileAccess. The "workers" are forked children, known
// to the audit by pid as the runner knows its workers.
#include "loveless/scenario/host_file_audit.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "support/audit_records.hpp"
#include "support/temp_dir.hpp"
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace loveless::scenario {
namespace {

namespace fs = std::filesystem;
using loveless::testing::TempDir;
using Op = history::ScratchOperation;
using Records = std::vector<history::HostFileAccess>;

/// Pids of the forked "workers", by worker id, as the audit's owner sees them.
class FakeFleetOwners {
 public:
  void add(int pid, const std::string& worker) {
    const std::lock_guard lock(mutex_);
    owners_[pid] = worker;
  }
  std::string operator()(int pid) const {
    const std::lock_guard lock(mutex_);
    const auto it = owners_.find(pid);
    return it == owners_.end() ? "" : it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::map<int, std::string> owners_;
};

/// Runs `body` in a forked child registered as `worker` before it starts:
/// the child waits on a pipe until the parent has registered its pid.
void as_worker(FakeFleetOwners& owners, const std::string& worker,
               const std::function<void()>& body) {
  int gate[2];
  REQUIRE(::pipe(gate) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(gate[1]);
    char go = 0;
    const auto got = ::read(gate[0], &go, 1);
    if (got == 1) body();
    ::_exit(0);
  }
  ::close(gate[0]);
  owners.add(pid, worker);
  const char go = 1;
  REQUIRE(::write(gate[1], &go, 1) == 1);
  ::close(gate[1]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}

// The children only make system calls: another thread of this process (the
// audit's) may have held the allocator's lock when it forked.
void write_file(const char* file, const char* text) {
  const int fd = ::open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) ::_exit(2);
  if (::write(fd, text, std::strlen(text)) < 0) ::_exit(3);
  ::close(fd);
}

void read_file(const char* file) {
  const int fd = ::open(file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) ::_exit(4);
  char buffer[256];
  while (::read(fd, buffer, sizeof buffer) > 0) {
  }
  ::close(fd);
}

bool has(const Records& records, const std::string& worker, const fs::path& path, Op op) {
  return std::any_of(records.begin(), records.end(), [&](const history::HostFileAccess& r) {
    return r.worker == worker && r.path == path.string() && r.operation == op;
  });
}

/// Takes records until `done` holds for all taken so far, or 5 s pass.
Records collect_until(HostFileAudit& audit, const std::function<bool(const Records&)>& done) {
  return loveless::testing::collect_until(audit, done);
}

/// Takes what arrives within `wait` (for asserting that nothing does).
Records collect_for(HostFileAudit& audit, std::chrono::milliseconds wait) {
  return collect_until(audit, [start = std::chrono::steady_clock::now(), wait](const Records&) {
    return std::chrono::steady_clock::now() - start >= wait;
  });
}

/// The audit, or a printed skip reason where the kernel refuses fanotify.
std::unique_ptr<HostFileAudit> audit_or_skip(FakeFleetOwners& owners,
                                             std::vector<fs::path> excluded = {}) {
  try {
    return std::make_unique<HostFileAudit>([&owners](int pid) { return owners(pid); },
                                           std::move(excluded));
  } catch (const std::system_error& e) {
    std::cout << "LOVELESS-SKIP: " << e.what() << "\n";
    return nullptr;
  }
}

TEST_CASE("a file one worker writes outside scratch and another reads is recorded",
          "[host-file-audit]") {
  const TempDir dir;
  FakeFleetOwners owners;
  auto audit = audit_or_skip(owners);
  if (!audit) return;
  const auto cache = dir.path() / "work" / "cache.json";
  fs::create_directories(cache.parent_path());
  const std::string cache_path = cache.string();
  as_worker(owners, "w-1", [&] { write_file(cache_path.c_str(), R"({"words": 4})"); });
  as_worker(owners, "w-2", [&] { read_file(cache_path.c_str()); });
  const auto records = collect_until(*audit, [&](const Records& all) {
    return has(all, "w-1", cache, Op::kModified) && has(all, "w-2", cache, Op::kRead);
  });
  CHECK(has(records, "w-1", cache, Op::kModified));
  CHECK(has(records, "w-2", cache, Op::kRead));
  // The write comes before the read.
  const auto first_write = std::find_if(
      records.begin(), records.end(), [&](const auto& r) { return r.operation == Op::kModified; });
  const auto first_read = std::find_if(records.begin(), records.end(),
                                       [&](const auto& r) { return r.operation == Op::kRead; });
  REQUIRE(first_write != records.end());
  REQUIRE(first_read != records.end());
  CHECK(first_write < first_read);
}

TEST_CASE("a file written under one name and renamed is one file to the audit",
          "[host-file-audit]") {
  // The atomic write caches use: write x.tmp, rename it over x, read x.
  const TempDir dir;
  FakeFleetOwners owners;
  auto audit = audit_or_skip(owners);
  if (!audit) return;
  const auto temp = (dir.path() / "report.json.tmp").string();
  const auto final_name = (dir.path() / "report.json").string();
  as_worker(owners, "w-1", [&] {
    write_file(temp.c_str(), R"({"words": 4})");
    if (::rename(temp.c_str(), final_name.c_str()) != 0) ::_exit(5);
  });
  as_worker(owners, "w-2", [&] { read_file(final_name.c_str()); });
  const auto records = collect_until(
      *audit, [&](const Records& all) { return has(all, "w-2", final_name, Op::kRead); });
  // The write is named as the file is named when the audit reads the event:
  // x.tmp, or x if the rename came first. The file is the same either way.
  REQUIRE(
      (has(records, "w-1", temp, Op::kModified) || has(records, "w-1", final_name, Op::kModified)));
  REQUIRE(has(records, "w-2", final_name, Op::kRead));
  std::string written_file;
  std::string read_file_id;
  for (const auto& record : records) {
    if (record.operation == Op::kModified) written_file = record.file;
    if (record.operation == Op::kRead) read_file_id = record.file;
  }
  CHECK_FALSE(written_file.empty());
  CHECK(written_file == read_file_id);
}

TEST_CASE("reads of files no worker wrote, and what other processes do, are not recorded",
          "[host-file-audit]") {
  const TempDir dir;
  FakeFleetOwners owners;
  auto audit = audit_or_skip(owners);
  if (!audit) return;
  const auto input = dir.path() / "input.txt";
  const std::string input_path = input.string();
  write_file(input_path.c_str(), "written by the test, no worker");  // not a worker's
  as_worker(owners, "w-1", [&] { read_file(input_path.c_str()); });
  const auto records = collect_for(*audit, std::chrono::milliseconds(400));
  CHECK_FALSE(has(records, "", input, Op::kModified));
  CHECK_FALSE(has(records, "w-1", input, Op::kRead));
  CHECK(records.empty());
}

TEST_CASE("excluded places (scratch, declared mounts) are not recorded", "[host-file-audit]") {
  const TempDir dir;
  FakeFleetOwners owners;
  const auto store = dir.path() / "store";
  const auto scratch_root = dir.path() / "scratch";
  fs::create_directories(store);
  fs::create_directories(scratch_root / "w-1");
  auto audit = audit_or_skip(owners, {store, scratch_root});
  if (!audit) return;
  const auto durable = store / "order.json";
  const auto outside = dir.path() / "left.txt";
  const std::string durable_path = durable.string();
  const std::string scratch_path = (scratch_root / "w-1" / "tmp.txt").string();
  const std::string outside_path = outside.string();
  as_worker(owners, "w-1", [&] {
    write_file(durable_path.c_str(), "declared durable state");
    write_file(scratch_path.c_str(), "scratch");
    write_file(outside_path.c_str(), "outside scratch");
  });
  const auto records = collect_until(
      *audit, [&](const Records& all) { return has(all, "w-1", outside, Op::kModified); });
  CHECK(has(records, "w-1", outside, Op::kModified));
  for (const auto& record : records) {
    INFO(record.path);
    CHECK(record.path == outside.string());
  }
}

}  // namespace
}  // namespace loveless::scenario
