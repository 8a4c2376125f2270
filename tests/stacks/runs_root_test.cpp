// The runs directory (docs/scenarios.md, "Run directories"): one per user,
// created mode 0700, refused when another user owns it or others may write to
// it, and pruned to the newest N run directories without touching a live run
// or anything that is not a run directory. Real directories under a fresh
// temporary directory; a LocalStack brought up for the end-to-end case.
#include "loveless/stacks/runs_root.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "loveless/stacks/local_stack.hpp"

#include "support/directory_names.hpp"
#include "support/temp_dir.hpp"
#include <sys/stat.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using loveless::stacks::prune_runs;
using loveless::stacks::RunDirectory;
using loveless::stacks::secure_runs_root;
using loveless::stacks::UnsafeRunsRoot;
using loveless::testing::names_in;
using loveless::testing::TempDir;

constexpr uid_t kNobody = 65534;

mode_t mode_of(const fs::path& path) {
  struct stat status {};
  REQUIRE(::lstat(path.c_str(), &status) == 0);
  return status.st_mode & 07777;
}

/// A finished run's directory: its marker dated `age` ago, and a log file.
fs::path finished_run(const fs::path& root, const std::string& name, std::chrono::minutes age) {
  const auto dir = root / name;
  fs::create_directories(dir / "logs");
  std::ofstream(dir / "logs" / "worker.log") << "done\n";
  std::ofstream(dir / loveless::stacks::kRunMarker);
  fs::last_write_time(dir / loveless::stacks::kRunMarker, fs::file_time_type::clock::now() - age);
  return dir;
}

}  // namespace

TEST_CASE("the default runs directory is the user's own", "[runs-root]") {
  const auto root = loveless::stacks::default_runs_root();
  if (std::getenv("LOVELESS_RUNS_DIR") == nullptr) {
    CHECK(root.filename() == "loveless-runs-" + std::to_string(::geteuid()));
  }
}

TEST_CASE("a missing runs directory is created mode 0700", "[runs-root]") {
  const TempDir temp;
  const auto root = temp.path() / "parent" / "runs";
  const auto old_mask = ::umask(0);  // a permissive umask must not widen it
  secure_runs_root(root);
  ::umask(old_mask);
  REQUIRE(fs::is_directory(root));
  CHECK(mode_of(root) == 0700);
  // Once made, it is accepted as it is.
  CHECK_NOTHROW(secure_runs_root(root));
}

TEST_CASE("a runs directory others may write to is refused with what to do", "[runs-root]") {
  const TempDir temp;
  const auto root = temp.path() / "runs";
  fs::create_directory(root);
  REQUIRE(::chmod(root.c_str(), 0777) == 0);
  CHECK_THROWS_AS(secure_runs_root(root), UnsafeRunsRoot);
  CHECK_THROWS_WITH(secure_runs_root(root),
                    Catch::Contains(root.string() + " is writable by others (mode 0777)") &&
                        Catch::Contains("chmod 700 " + root.string()) &&
                        Catch::Contains("LOVELESS_RUNS_DIR"));
  REQUIRE(::chmod(root.c_str(), 0775) == 0);
  CHECK_THROWS_WITH(secure_runs_root(root), Catch::Contains("mode 0775"));
  REQUIRE(::chmod(root.c_str(), 0755) == 0);  // others may read, not write
  CHECK_NOTHROW(secure_runs_root(root));
}

TEST_CASE("a runs directory another user owns is refused", "[runs-root]") {
  const TempDir temp;
  fs::path root;
  if (::geteuid() == 0) {
    root = temp.path() / "runs";
    fs::create_directory(root);
    REQUIRE(::chmod(root.c_str(), 0700) == 0);
    REQUIRE(::chown(root.c_str(), kNobody, kNobody) == 0);
  } else {
    root = "/usr";  // root's, and not writable by others
  }
  CHECK_THROWS_AS(secure_runs_root(root), UnsafeRunsRoot);
  CHECK_THROWS_WITH(secure_runs_root(root), Catch::Contains(root.string() + " belongs to ") &&
                                                Catch::Contains("not to you") &&
                                                Catch::Contains("LOVELESS_RUNS_DIR"));
}

TEST_CASE("a runs directory that is a symbolic link is refused", "[runs-root]") {
  const TempDir temp;
  fs::create_directory(temp.path() / "elsewhere");
  ::chmod((temp.path() / "elsewhere").c_str(), 0700);
  fs::create_directory_symlink(temp.path() / "elsewhere", temp.path() / "runs");
  CHECK_THROWS_WITH(secure_runs_root(temp.path() / "runs"), Catch::Contains("is a symbolic link"));
}

TEST_CASE("pruning keeps the newest run directories and touches nothing else", "[runs-root]") {
  const TempDir temp;
  const auto root = temp.path() / "runs";
  secure_runs_root(root);
  finished_run(root, "run-a", std::chrono::minutes(50));
  finished_run(root, "run-b", std::chrono::minutes(40));
  finished_run(root, "run-c", std::chrono::minutes(30));
  finished_run(root, "run-d", std::chrono::minutes(20));
  // Not run directories: no marker, a file, a link to a run elsewhere.
  fs::create_directories(root / "notes" / "inner");
  std::ofstream(root / "README") << "mine\n";
  const auto outside = finished_run(temp.path(), "outside-run", std::chrono::minutes(90));
  fs::create_directory_symlink(outside, root / "linked-run");
  // A live run, older than all: its lock is held.
  const auto live_dir = finished_run(root, "run-live", std::chrono::minutes(60));
  const RunDirectory live(root, "run-live");
  fs::last_write_time(live_dir / loveless::stacks::kRunMarker,
                      fs::file_time_type::clock::now() - std::chrono::minutes(60));

  const auto removed = prune_runs(root, 2);
  CHECK(std::set<fs::path>(removed.begin(), removed.end()) ==
        std::set<fs::path>{root / "run-a", root / "run-b"});
  CHECK(names_in(root) ==
        std::set<std::string>{"run-c", "run-d", "run-live", "notes", "README", "linked-run"});
  CHECK(fs::exists(outside / "logs" / "worker.log"));
  CHECK(fs::exists(root / "notes" / "inner"));
  // Nothing more to remove at the same limit.
  CHECK(prune_runs(root, 2).empty());
}

TEST_CASE("a run directory is made mode 0700 and held while its run lives", "[runs-root]") {
  const TempDir temp;
  const auto root = temp.path() / "runs";
  secure_runs_root(root);
  {
    const RunDirectory run(root, "run-1");
    CHECK(mode_of(run.path()) == 0700);
    CHECK(fs::is_regular_file(run.path() / loveless::stacks::kRunMarker));
    CHECK_THROWS_WITH(RunDirectory(root, "run-1"), Catch::Contains("in use by another run"));
    CHECK_FALSE(loveless::stacks::remove_if_unused(run.path()));
  }
  // Released and empty but for its marker: a run that never got going.
  CHECK(loveless::stacks::remove_if_unused(root / "run-1"));
  CHECK_FALSE(fs::exists(root / "run-1"));
}

TEST_CASE("a local stack secures its runs directory and prunes it when it comes up",
          "[runs-root]") {
  const TempDir temp;
  const auto root = temp.path() / "runs";
  secure_runs_root(root);
  finished_run(root, "run-old", std::chrono::minutes(30));
  finished_run(root, "run-newer", std::chrono::minutes(10));
  std::ofstream(root / "keep-me.txt") << "not a run\n";

  loveless::stacks::LocalStackOptions options;
  options.runs_root = root;
  options.run_id = "run-now";
  options.kept_runs = 2;
  {
    loveless::stacks::LocalStack stack(options);
    stack.up();
    CHECK(names_in(root) == std::set<std::string>{"run-newer", "run-now", "keep-me.txt"});
    CHECK(mode_of(root / "run-now") == 0700);
    stack.down();
  }

  // Another user's (or a world-writable) root: the stack does not come up.
  REQUIRE(::chmod(root.c_str(), 0777) == 0);
  options.run_id = "run-refused";
  loveless::stacks::LocalStack refused(options);
  CHECK_THROWS_AS(refused.up(), UnsafeRunsRoot);
  CHECK_FALSE(fs::exists(root / "run-refused"));
}
