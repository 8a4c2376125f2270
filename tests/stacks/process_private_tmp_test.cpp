// The process fleet's private /tmp (docs/stacks.md, "A private /tmp"): a
// worker's /tmp is its scratch directory, of its own, wiped and kept as the
// scratch is; read-only mounts refuse writes; the mounts under the host's
// /tmp (a run directory under /tmp) stay visible at their paths.
#include <catch2/catch.hpp>

#include "fleet_test_support.hpp"

namespace loveless::stacks::test {
namespace {

using std::chrono::milliseconds;

/// `/bin/sh -c script` as every worker of the pool.
PoolSpec shell_pool(const std::string& name, const std::string& script, int replicas = 1) {
  auto spec = sleeper_pool(name, {}, replicas);
  spec.command = {"/bin/sh", "-c", script};
  return spec;
}

/// The trimmed text of `file` once it exists and is not empty.
std::string wait_for_text(const std::filesystem::path& file,
                          milliseconds timeout = milliseconds(5000)) {
  std::string text;
  wait_until(
      [&] {
        text = read_text(file);
        return !text.empty() && text.back() == '\n';
      },
      timeout);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Where the machine cannot, the fleet falls back to the host's /tmp; these
// tests then say why and check nothing. As root the probe must succeed, so
// a broken probe cannot pass them unnoticed.
bool private_tmp_or_warn() {
  const auto& support = private_tmp_support();
  if (!support.available) WARN("no private /tmp here: " << support.problem);
  return support.available;
}

TEST_CASE("private tmp: the probe succeeds as root and explains itself otherwise",
          "[process_fleet]") {
  const auto& support = private_tmp_support();
  CHECK(&support == &private_tmp_support());  // probed once
  if (::geteuid() == 0) {
    CHECK(support.available);
    CHECK_FALSE(support.user_namespace);
  }
  if (support.available) {
    CHECK(support.problem.empty());
  } else {
    CHECK_THAT(support.problem,
               Catch::StartsWith("this machine cannot give process workers a private /tmp") &&
                   Catch::Contains("or use --stack docker") &&
                   Catch::Contains("not wiped or audited"));
  }
}

TEST_CASE("private tmp: what a worker writes to /tmp lands in its scratch directory",
          "[process_fleet]") {
  if (!private_tmp_or_warn()) return;
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-tmp"));
  // A name no one else uses, so the host's /tmp can be checked for it.
  const auto name = "loveless-private-" + runs.path().filename().string();
  const auto pool = fleet->add_activity_pool(shell_pool(
      "direct", "echo \"$LOVELESS_WORKER_NAME $TMPDIR\" > /tmp/" + name + "; exec sleep 60"));
  const auto worker = pool->workers().at(0);
  CHECK(wait_for_text(worker->scratch_dir() / name) == "direct-1 /tmp");
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path("/tmp") / name));
  fleet->shutdown();
}

TEST_CASE("private tmp: two workers do not see each other's /tmp", "[process_fleet]") {
  if (!private_tmp_or_warn()) return;
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-two"));
  // Each writes the same name, waits for the other to have written too, then
  // lists its /tmp and reads the name back.
  const auto pool = fleet->add_activity_pool(
      shell_pool("pair",
                 "echo $LOVELESS_WORKER_NAME > /tmp/mine; touch /tmp/only-$LOVELESS_WORKER_NAME; "
                 "sleep 0.5; ls /tmp > /tmp/listing.partial; mv /tmp/listing.partial "
                 "/tmp/listing; cat /tmp/mine > /tmp/after; exec sleep 60",
                 2));
  const auto workers = pool->workers();
  REQUIRE(workers.size() == 2);
  for (const auto& worker : workers) {
    CAPTURE(worker->id());
    CHECK(wait_for_text(worker->scratch_dir() / "after") == worker->id());
    const auto listing = read_text(worker->scratch_dir() / "listing");
    CHECK(listing.find("only-" + worker->id()) != std::string::npos);
    const auto other = worker->id() == "pair-1" ? "pair-2" : "pair-1";
    CHECK(listing.find(std::string("only-") + other) == std::string::npos);
  }
  fleet->shutdown();
}

TEST_CASE("private tmp: a wipe empties what the worker wrote to /tmp and keeps its mounts",
          "[process_fleet]") {
  if (!private_tmp_or_warn()) return;
  TempDir runs;
  TempDir store;  // under the host's /tmp: its mount point is in the scratch
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-wipe-tmp"));
  // On /tmp/go it reports whether /tmp/x is still there, and writes to the store.
  auto spec = shell_pool("wiped",
                         "echo left > /tmp/x; while :; do if [ -e /tmp/go ]; then rm /tmp/go; "
                         "if [ -e /tmp/x ]; then r=seen; else r=gone; fi; echo $r > /tmp/result; "
                         "echo $r > \"$STORE/after-wipe\"; fi; sleep 0.01; done");
  spec.environment["STORE"] = store.path().string();
  spec.mounts = {{store.path(), store.path(), false}};
  const auto pool = fleet->add_activity_pool(spec);
  const auto worker = pool->workers().at(0);
  const auto scratch = worker->scratch_dir();
  REQUIRE(wait_for_text(scratch / "x") == "left");

  worker->wipe_scratch();
  CHECK_FALSE(std::filesystem::exists(scratch / "x"));
  std::ofstream(scratch / "go").close();
  CHECK(wait_for_text(scratch / "result") == "gone");
  // The store is still mounted in its /tmp after the wipe.
  CHECK(wait_for_text(store.path() / "after-wipe") == "gone");
  CHECK(worker->state() == WorkerState::kRunning);
  fleet->shutdown();
}

TEST_CASE("private tmp: a restarted worker finds what it wrote to /tmp", "[process_fleet]") {
  if (!private_tmp_or_warn()) return;
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-restart-tmp"));
  const auto pool = fleet->add_activity_pool(
      shell_pool("again",
                 "if [ -e /tmp/first ]; then cat /tmp/first > /tmp/second; else echo $$ > "
                 "/tmp/first; fi; exec sleep 60"));
  const auto worker = pool->workers().at(0);
  const auto first = wait_for_text(worker->scratch_dir() / "first");
  REQUIRE_FALSE(first.empty());
  CHECK_FALSE(std::filesystem::exists(worker->scratch_dir() / "second"));
  worker->restart(milliseconds(2000));
  CHECK(wait_for_text(worker->scratch_dir() / "second") == first);
  fleet->shutdown();
}

TEST_CASE("private tmp: a read-only mount refuses writes, a read-write one takes them",
          "[process_fleet]") {
  if (!private_tmp_or_warn()) return;
  TempDir runs;
  TempDir data;
  TempDir store;
  std::ofstream(data.path() / "table.csv") << "a,1\n";
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-ro"));
  auto spec = shell_pool("reader",
                         "cat \"$DATA/table.csv\" > /tmp/read; "
                         "if echo x > \"$DATA/written\"; then echo allowed; else echo refused; fi "
                         "> /tmp/data-write 2> /tmp/data-error; "
                         "if echo x > \"$STORE/written\"; then echo allowed; else echo refused; fi "
                         "> /tmp/store-write; exec sleep 60");
  spec.environment = {{"DATA", data.path().string()}, {"STORE", store.path().string()}};
  spec.mounts = {{data.path(), data.path(), true}, {store.path(), store.path(), false}};
  const auto pool = fleet->add_activity_pool(spec);
  const auto scratch = pool->workers().at(0)->scratch_dir();
  CHECK(wait_for_text(scratch / "read") == "a,1");
  CHECK(wait_for_text(scratch / "data-write") == "refused");
  CHECK(read_text(scratch / "data-error").find("Read-only file system") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(data.path() / "written"));
  CHECK(wait_for_text(scratch / "store-write") == "allowed");
  CHECK(std::filesystem::exists(store.path() / "written"));
  // Nothing of the worker's namespace reached the host: the data is writable here.
  CHECK(std::ofstream(data.path() / "host-write") << "ok");
  fleet->shutdown();
}

TEST_CASE("private tmp: a run directory under /tmp keeps the log and a command under /tmp runs",
          "[process_fleet]") {
  if (!private_tmp_or_warn()) return;
  TempDir runs;  // under the host's /tmp, so the run directory is too
  TempDir bin;
  const auto sleeper = bin.path() / "sleeper-copy";
  std::filesystem::copy_file(kSleeper, sleeper);
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-under-tmp"));
  auto spec = sleeper_pool("copied");
  spec.command = {sleeper.string()};
  const auto pool = fleet->add_activity_pool(spec);
  const auto worker = pool->workers().at(0);
  REQUIRE(wait_ready(*worker));  // env.txt written into /tmp, its scratch
  CHECK(read_environment(worker->scratch_dir() / "env.txt").at("TMPDIR") == "/tmp");
  const auto log = runs.path() / "run-under-tmp" / "logs" / "copied-1.log";
  CHECK(wait_until([&] { return read_text(log).find("stdout copied-1") != std::string::npos; }));
  fleet->shutdown();
}

TEST_CASE("private tmp: off in the fleet options, workers share the host's /tmp",
          "[process_fleet]") {
  TempDir runs;
  auto options = options_in(runs.path(), "run-shared");
  options.private_tmp = false;
  const auto fleet = make_process_fleet(options);
  const auto name = "loveless-shared-" + runs.path().filename().string();
  const auto host_file = std::filesystem::path("/tmp") / name;
  const auto pool =
      fleet->add_activity_pool(shell_pool("shared", "echo $TMPDIR > /tmp/" + name + "; sleep 60"));
  const auto worker = pool->workers().at(0);
  CHECK(wait_for_text(host_file) == (worker->scratch_dir() / "").string());
  std::filesystem::remove(host_file);
  fleet->shutdown();
}

TEST_CASE("private tmp: a mount at /tmp itself is refused", "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-at-tmp"));
  auto spec = sleeper_pool("over");
  spec.mounts = {{"/tmp", "/tmp", false}};
  CHECK_THROWS_WITH(fleet->add_activity_pool(spec),
                    Catch::Contains("a process worker's /tmp is its scratch directory"));
}

}  // namespace
}  // namespace loveless::stacks::test
