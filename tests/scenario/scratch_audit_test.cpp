// The scratch audit: inotify on workers' scratch directories, recorded as the
// history's history::ScratchAccess (created, opened, modified, deleted), per worker.
#include "loveless/scenario/scratch_audit.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "support/audit_records.hpp"
#include "support/temp_dir.hpp"
#include <fcntl.h>
#include <unistd.h>

namespace loveless::scenario {
namespace {

namespace fs = std::filesystem;
using loveless::testing::TempDir;
using Op = history::ScratchOperation;
using Records = std::vector<history::ScratchAccess>;

/// Takes records until `done` holds for all taken so far, or 5 s pass.
Records collect_until(ScratchAudit& audit, const std::function<bool(const Records&)>& done) {
  return loveless::testing::collect_until(audit, done);
}

bool has(const Records& records, const std::string& worker, const std::string& path, Op op) {
  return std::any_of(records.begin(), records.end(), [&](const history::ScratchAccess& r) {
    return r.worker == worker && r.path == path && r.operation == op;
  });
}

/// Takes records until `worker` has `op` on `path`.
Records collect_until(ScratchAudit& audit, const std::string& worker, const std::string& path,
                      Op op) {
  return collect_until(audit, [&](const Records& all) { return has(all, worker, path, op); });
}

/// The operations on one path, in order, a run of `modified` counted once (the
/// audit collapses runs within one read only, and reads may split them).
std::vector<std::string> operations(const Records& records, const std::string& worker,
                                    const std::string& path) {
  std::vector<std::string> ops;
  for (const auto& record : records) {
    if (record.worker != worker || record.path != path) continue;
    std::string op(to_string(record.operation));
    // A run of writes (or of reads) may come as one record or several.
    if ((op == "modified" || op == "read") && !ops.empty() && ops.back() == op) continue;
    ops.push_back(op);
  }
  return ops;
}

std::vector<std::string> paths_of(const Records& records, const std::string& worker) {
  std::vector<std::string> paths;
  for (const auto& record : records) {
    if (record.worker == worker) paths.push_back(record.path);
  }
  return paths;
}

void write_file(const fs::path& path, const std::string& content = "data") {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_CASE("a file created, written, read and deleted is recorded in order", "[scratch_audit]") {
  TempDir scratch;
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());
  REQUIRE(audit.watching("w-1"));

  const auto before = std::chrono::system_clock::now();
  write_file(scratch.path() / "chunk-1.txt", "hello");
  REQUIRE(read_file(scratch.path() / "chunk-1.txt") == "hello");
  fs::remove(scratch.path() / "chunk-1.txt");

  const auto records = collect_until(audit, "w-1", "chunk-1.txt", Op::kDeleted);
  CHECK(operations(records, "w-1", "chunk-1.txt") ==
        std::vector<std::string>{"created", "opened", "modified", "opened", "read", "deleted"});
  for (const auto& record : records) {
    CHECK(record.at >= before);
    CHECK(record.worker == "w-1");
  }
  CHECK(audit.take().empty());
  CHECK(audit.dropped() == 0);
}

TEST_CASE("an existing file opened and appended to is recorded opened and modified",
          "[scratch_audit]") {
  TempDir scratch;
  write_file(scratch.path() / "cache.bin", "old");
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());

  REQUIRE(read_file(scratch.path() / "cache.bin") == "old");
  {
    std::ofstream out(scratch.path() / "cache.bin", std::ios::binary | std::ios::app);
    out << "new";
  }
  const auto records = collect_until(audit, "w-1", "cache.bin", Op::kModified);
  // Existing files are not reported at watch(): only what happens afterwards.
  CHECK(operations(records, "w-1", "cache.bin") ==
        std::vector<std::string>{"opened", "read", "opened", "modified"});
}

TEST_CASE("an atomic write records the final name as created", "[scratch_audit]") {
  TempDir scratch;
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());

  write_file(scratch.path() / "out.json.tmp", R"({"n":1})");
  fs::rename(scratch.path() / "out.json.tmp", scratch.path() / "out.json");

  const auto records = collect_until(audit, "w-1", "out.json", Op::kCreated);
  CHECK(operations(records, "w-1", "out.json.tmp") ==
        std::vector<std::string>{"created", "opened", "modified", "deleted"});
  CHECK(operations(records, "w-1", "out.json") == std::vector<std::string>{"created"});
}

TEST_CASE("subdirectories existing at watch and created later are watched, nested",
          "[scratch_audit]") {
  TempDir scratch;
  fs::create_directories(scratch.path() / "pre" / "inner");
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());

  write_file(scratch.path() / "pre" / "inner" / "old.txt");
  fs::create_directories(scratch.path() / "a" / "b" / "c");
  write_file(scratch.path() / "a" / "b" / "c" / "deep.txt");
  // Give the new directories' watches time to start, then write again: from
  // here on every access is an event of its own.
  auto records = collect_until(audit, "w-1", "a/b/c/deep.txt", Op::kCreated);
  REQUIRE(has(records, "w-1", "a/b/c/deep.txt", Op::kCreated));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(read_file(scratch.path() / "a" / "b" / "c" / "deep.txt") == "data");

  auto more = collect_until(audit, "w-1", "a/b/c/deep.txt", Op::kOpened);
  records.insert(records.end(), more.begin(), more.end());
  CHECK(has(records, "w-1", "pre/inner/old.txt", Op::kCreated));
  CHECK(has(records, "w-1", "pre/inner/old.txt", Op::kModified));
  CHECK(has(records, "w-1", "a", Op::kCreated));
  CHECK(has(records, "w-1", "a/b", Op::kCreated));
  CHECK(has(records, "w-1", "a/b/c", Op::kCreated));
  CHECK(has(records, "w-1", "a/b/c/deep.txt", Op::kOpened));
  // Opening a directory (as listing one does) is not a file access.
  for (const auto& record : records) {
    if (record.operation == Op::kOpened) CHECK(record.path.ends_with(".txt"));
  }
}

TEST_CASE("a directory moved within the scratch directory reports under its new name",
          "[scratch_audit]") {
  TempDir scratch;
  fs::create_directories(scratch.path() / "before");
  write_file(scratch.path() / "before" / "f.txt");
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());

  fs::rename(scratch.path() / "before", scratch.path() / "after");
  auto records = collect_until(audit, "w-1", "after", Op::kCreated);
  CHECK(has(records, "w-1", "before", Op::kDeleted));
  // Its contents appear under the new name.
  CHECK(has(records, "w-1", "after/f.txt", Op::kCreated));

  REQUIRE(read_file(scratch.path() / "after" / "f.txt") == "data");
  records = collect_until(audit, "w-1", "after/f.txt", Op::kOpened);
  CHECK(has(records, "w-1", "after/f.txt", Op::kOpened));
  CHECK_FALSE(has(records, "w-1", "before/f.txt", Op::kOpened));

  // Moved out of the scratch directory: deleted, and no longer watched.
  TempDir elsewhere;
  fs::rename(scratch.path() / "after", elsewhere.path() / "moved-out");
  write_file(elsewhere.path() / "moved-out" / "outside.txt");
  write_file(scratch.path() / "sentinel.txt");
  records = collect_until(audit, "w-1", "sentinel.txt", Op::kModified);
  CHECK(has(records, "w-1", "after", Op::kDeleted));
  for (const auto& path : paths_of(records, "w-1"))
    CHECK(path.find("outside") == std::string::npos);
}

TEST_CASE("a scratch directory wiped while watched records each deletion and stays watched",
          "[scratch_audit]") {
  TempDir scratch;
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());

  write_file(scratch.path() / "top.txt");
  fs::create_directories(scratch.path() / "sub" / "subsub");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  write_file(scratch.path() / "sub" / "subsub" / "leaf.txt");
  collect_until(audit, "w-1", "sub/subsub/leaf.txt", Op::kModified);

  // The wipe: the contents go, the directory stays (as the fleets wipe scratch).
  for (const auto& entry : std::vector<fs::directory_entry>(fs::directory_iterator(scratch.path()),
                                                            fs::directory_iterator())) {
    fs::remove_all(entry.path());
  }
  write_file(scratch.path() / "after-wipe.txt");
  auto records = collect_until(audit, "w-1", "after-wipe.txt", Op::kCreated);
  CHECK(has(records, "w-1", "top.txt", Op::kDeleted));
  CHECK(has(records, "w-1", "sub/subsub/leaf.txt", Op::kDeleted));
  CHECK(has(records, "w-1", "sub/subsub", Op::kDeleted));
  CHECK(has(records, "w-1", "sub", Op::kDeleted));

  // A subdirectory created again after the wipe is watched again.
  fs::create_directories(scratch.path() / "sub");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  write_file(scratch.path() / "sub" / "again.txt");
  records = collect_until(audit, "w-1", "sub/again.txt", Op::kModified);
  CHECK(has(records, "w-1", "sub", Op::kCreated));
  CHECK(has(records, "w-1", "sub/again.txt", Op::kModified));
  CHECK(audit.dropped() == 0);
}

TEST_CASE("a scratch directory removed and created again is watched after watch() again",
          "[scratch_audit]") {
  TempDir parent;
  const auto scratch = parent.path() / "w-1";
  fs::create_directories(scratch);
  ScratchAudit audit;
  audit.watch("w-1", scratch);
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  // Another directory at the same path: watched anew even if the reader has
  // not seen the old one's watch end yet.
  audit.watch("w-1", scratch);
  write_file(scratch / "new.txt");
  const auto records = collect_until(audit, "w-1", "new.txt", Op::kCreated);
  CHECK(has(records, "w-1", "new.txt", Op::kCreated));
}

TEST_CASE("two workers' accesses are kept apart", "[scratch_audit]") {
  TempDir a;
  TempDir b;
  ScratchAudit audit;
  audit.watch("pool-1", a.path());
  audit.watch("pool-2", b.path());

  write_file(a.path() / "only-a.txt");
  write_file(b.path() / "only-b.txt");
  const auto records = collect_until(audit, [](const Records& all) {
    return has(all, "pool-1", "only-a.txt", Op::kModified) &&
           has(all, "pool-2", "only-b.txt", Op::kModified);
  });
  for (const auto& path : paths_of(records, "pool-1")) CHECK(path == "only-a.txt");
  for (const auto& path : paths_of(records, "pool-2")) CHECK(path == "only-b.txt");
  CHECK(has(records, "pool-1", "only-a.txt", Op::kCreated));
  CHECK(has(records, "pool-2", "only-b.txt", Op::kCreated));
}

TEST_CASE("two workers sharing one scratch directory both get its records", "[scratch_audit]") {
  TempDir shared;
  ScratchAudit audit;
  audit.watch("w-1", shared.path());
  audit.watch("w-2", shared.path());
  write_file(shared.path() / "f.txt");
  auto records = collect_until(audit, [](const Records& all) {
    return has(all, "w-1", "f.txt", Op::kModified) && has(all, "w-2", "f.txt", Op::kModified);
  });
  CHECK(has(records, "w-1", "f.txt", Op::kCreated));
  CHECK(has(records, "w-2", "f.txt", Op::kCreated));

  // One unwatching leaves the other watched.
  audit.unwatch("w-1");
  write_file(shared.path() / "g.txt");
  records = collect_until(audit, "w-2", "g.txt", Op::kModified);
  CHECK(has(records, "w-2", "g.txt", Op::kCreated));
  for (const auto& path : paths_of(records, "w-1"))
    CHECK(path == "f.txt");  // read before unwatch()
}

TEST_CASE("unwatch stops a worker's records", "[scratch_audit]") {
  TempDir a;
  TempDir b;
  fs::create_directories(a.path() / "sub");
  ScratchAudit audit;
  audit.watch("gone", a.path());
  audit.watch("sentinel", b.path());
  write_file(a.path() / "before.txt");
  collect_until(audit, "gone", "before.txt", Op::kModified);

  audit.unwatch("gone");
  CHECK_FALSE(audit.watching("gone"));
  audit.unwatch("never-watched");  // ignored
  write_file(a.path() / "after.txt");
  write_file(a.path() / "sub" / "after.txt");
  // One inotify queue: once the sentinel's event is in, so are the earlier ones.
  write_file(b.path() / "sentinel.txt");
  const auto records = collect_until(audit, "sentinel", "sentinel.txt", Op::kModified);
  REQUIRE(has(records, "sentinel", "sentinel.txt", Op::kModified));
  // Records of before.txt read before unwatch() may still come (its close
  // can follow its modification in a later read): nothing after it.
  for (const auto& path : paths_of(records, "gone")) CHECK(path == "before.txt");
}

TEST_CASE("watching a worker twice is idempotent and another directory replaces the first",
          "[scratch_audit]") {
  TempDir first;
  TempDir second;
  ScratchAudit audit;
  audit.watch("w-1", first.path());
  audit.watch("w-1", first.path());
  write_file(first.path() / "once.txt");
  auto records = collect_until(audit, "w-1", "once.txt", Op::kModified);
  CHECK(std::count_if(records.begin(), records.end(), [](const history::ScratchAccess& r) {
          return r.operation == Op::kCreated;
        }) == 1);

  audit.watch("w-1", second.path());
  write_file(first.path() / "old-dir.txt");
  write_file(second.path() / "new-dir.txt");
  records = collect_until(audit, "w-1", "new-dir.txt", Op::kModified);
  CHECK(has(records, "w-1", "new-dir.txt", Op::kCreated));
  CHECK_FALSE(has(records, "w-1", "old-dir.txt", Op::kCreated));
}

TEST_CASE("another process writing the scratch directory is seen", "[scratch_audit]") {
  // As a container writing its bind-mounted /tmp: the same host inode.
  TempDir scratch;
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());
  const std::string command = "cd '" + scratch.path().string() +
                              "' && echo x > part.tmp && mv part.tmp result && cat result "
                              ">/dev/null && mkdir d && echo y > d/z && rm result";
  REQUIRE(std::system(command.c_str()) == 0);
  const auto records = collect_until(audit, "w-1", "result", Op::kDeleted);
  CHECK(operations(records, "w-1", "part.tmp") ==
        std::vector<std::string>{"created", "opened", "modified", "deleted"});
  CHECK(operations(records, "w-1", "result") ==
        std::vector<std::string>{"created", "opened", "read", "deleted"});
  CHECK(has(records, "w-1", "d", Op::kCreated));
  CHECK(has(records, "w-1", "d/z", Op::kCreated));
}

TEST_CASE("an open to overwrite records no read but a read and a listing do", "[scratch_audit]") {
  TempDir scratch;
  write_file(scratch.path() / "resize.tmp", "left by an earlier task");
  fs::create_directories(scratch.path() / "items");
  write_file(scratch.path() / "items" / "a.txt");
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());
  // The audit's own listing of the directories it watches is not a read.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  write_file(scratch.path() / "resize.tmp", "overwritten");  // O_WRONLY | O_TRUNC
  auto records = collect_until(audit, "w-1", "resize.tmp", Op::kModified);
  CHECK(operations(records, "w-1", "resize.tmp") == std::vector<std::string>{"opened", "modified"});

  REQUIRE(read_file(scratch.path() / "resize.tmp") == "overwritten");
  std::size_t listed = 0;
  for (fs::directory_iterator it(scratch.path() / "items"), end; it != end; ++it) ++listed;
  CHECK(listed == 1);
  for (fs::directory_iterator it(scratch.path()), end; it != end; ++it) ++listed;
  records = collect_until(audit, "w-1", ".", Op::kRead);
  CHECK(has(records, "w-1", "resize.tmp", Op::kRead));
  CHECK(has(records, "w-1", "items", Op::kRead));
  CHECK(has(records, "w-1", ".", Op::kRead));
  CHECK_FALSE(has(records, "w-1", "items/a.txt", Op::kRead));
}

TEST_CASE("watching a missing directory or an empty worker name throws", "[scratch_audit]") {
  TempDir scratch;
  ScratchAudit audit;
  const auto missing = scratch.path() / "missing";
  try {
    audit.watch("w-1", missing);
    FAIL("watch() of a missing directory did not throw");
  } catch (const std::system_error& error) {
    CHECK(std::string(error.what()).find(missing.string()) != std::string::npos);
    CHECK(error.code() == std::errc::no_such_file_or_directory);
  }
  CHECK_FALSE(audit.watching("w-1"));
  write_file(scratch.path() / "file");
  CHECK_THROWS_AS(audit.watch("w-1", scratch.path() / "file"), std::system_error);
  CHECK_THROWS_AS(audit.watch("", scratch.path()), std::invalid_argument);
}

TEST_CASE("the read latency of the audit's timestamps is measured", "[scratch_audit][latency]") {
  TempDir scratch;
  ScratchAudit audit;
  audit.watch("w-1", scratch.path());
  std::vector<double> lags_us;
  for (int i = 0; i < 200; ++i) {
    const std::string name = "f" + std::to_string(i);
    const auto before = std::chrono::system_clock::now();
    const int fd = ::open((scratch.path() / name).c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    ::close(fd);
    const auto records = collect_until(audit, "w-1", name, Op::kCreated);
    const auto it =
        std::find_if(records.begin(), records.end(), [&](const history::ScratchAccess& r) {
          return r.path == name && r.operation == Op::kCreated;
        });
    REQUIRE(it != records.end());
    // Taken when read, so never before the access.
    REQUIRE(it->at >= before);
    lags_us.push_back(std::chrono::duration<double, std::micro>(it->at - before).count());
  }
  std::sort(lags_us.begin(), lags_us.end());
  std::cout << "scratch audit read latency over " << lags_us.size() << " creations (us): p50 "
            << lags_us[lags_us.size() / 2] << ", p99 " << lags_us[lags_us.size() * 99 / 100]
            << ", max " << lags_us.back() << "\n";
}

}  // namespace
}  // namespace loveless::scenario
