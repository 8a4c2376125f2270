// The zoo's flawed behaviours: each RELIES on local state, so each must get
// the verdict `fail` from no_local_state_reliance(). Every one is shown
// deterministically by the warm/cold differential (docs/checks.md): the zoo
// scenarios run a single worker (replicas 1, or a function of concurrency 1)
// and more executions than inputs, so warm tasks land on a worker that ran
// earlier ones, while a cold task starts on a fresh worker with empty scratch.
// Each behaviour says, above it, its expected verdict, how warm and cold
// differ and what the diagnosis should name.
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "loveless/zoo/handlers.hpp"

#include "support.hpp"
#include <fcntl.h>
#include <unistd.h>

namespace loveless::zoo {
namespace {

namespace fs = std::filesystem;
using detail::ZooTask;
using nlohmann::json;

/// The stale result cache the disk-cache behaviours share: `dir/<name>.json`,
/// keyed by the document's name only, so a new version of a document is
/// answered with the old version's result. A missing entry is computed and
/// written; `best_effort`: an entry that cannot be written is skipped.
json name_keyed_cache(const fs::path& dir, const ZooTask& task, worker::TaskContext& context,
                      bool best_effort = false) {
  const auto id = task.id();
  const auto entry = dir / (task.text("name") + ".json");
  detail::work_a_while(context);
  if (fs::exists(entry)) {
    auto cached = json::parse(detail::read_text(entry));
    cached["id"] = id;
    return cached;
  }
  auto result = detail::summarise(id, task.text("content"));
  try {
    detail::write_text(entry, result.dump());
  } catch (const std::exception&) {
    if (!best_effort) throw;
  }
  return result;
}

// stale-disk-cache (activity, disk, stale state). Expected: FAIL. A result
// cache in scratch keyed by the document's name, whose content changes between
// inputs: warm, the second version is answered from the first version's entry
// (a wrong word count and digest); cold, every task computes. Diagnosis: the
// task read zoo-cache/<name>.json, which an earlier task wrote.
json stale_disk_cache(const ZooTask& task, worker::TaskContext& context) {
  return name_keyed_cache(context.scratch_dir() / "zoo-cache", task, context);
}

// stale-memory-cache (Lambda, memory, stale state). Expected: FAIL. The same
// cache in a global of the execution environment: warm, the second version of
// a document gets the first version's result; cold, a fresh environment
// computes. Diagnosis: no scratch read explains it, state kept in memory.
json stale_memory_cache(const ZooTask& task, worker::TaskContext& context) {
  static std::map<std::string, json> cache;
  const auto id = task.id();
  const auto name = task.text("name");
  detail::work_a_while(context);
  if (const auto hit = cache.find(name); hit != cache.end()) {
    auto cached = hit->second;
    cached["id"] = id;
    return cached;
  }
  return cache[name] = detail::summarise(id, task.text("content"));
}

// The checkpointing behaviours' output: the words of both halves, counted
// over two attempts.
json finish_from_checkpoint(const ZooTask& task, std::int64_t first_half) {
  const auto content = task.text("content");
  const auto rest = detail::word_count(content) - detail::first_half_words(content);
  return {{"id", task.id()}, {"words", first_half + rest}, {"digest", detail::digest(content)}};
}

[[noreturn]] void stop_half_way() {
  detail::fail(kTransient, "the first attempt stops half way (a flaky dependency, on purpose)");
}

// lost-checkpoint-memory (activity, memory, lost state). Expected: FAIL. The
// first attempt counts half the words, keeps them in memory and fails with
// Zoo.Transient; the retry expects to resume from that checkpoint. Warm, the
// retry runs on the same worker and finds it; cold, the retry runs on a fresh
// worker and fails with Zoo.CheckpointMissing. Diagnosis: state kept in memory.
json lost_checkpoint_memory(const ZooTask& task, worker::TaskContext& context) {
  static std::map<std::string, std::int64_t> checkpoints;
  const auto id = task.id();
  detail::work_a_while(context);
  if (task.attempt == 0) {
    checkpoints[id] = detail::first_half_words(task.text("content"));
    stop_half_way();
  }
  const auto found = checkpoints.find(id);
  if (found == checkpoints.end()) {
    detail::fail(kCheckpointMissing, "no checkpoint of " + id + " in this worker's memory");
  }
  return finish_from_checkpoint(task, found->second);
}

// resume-from-memory (activity, memory, lost with the worker). Expected:
// FAIL under kill and restart, PASS under wipe and disposable. A long task
// keeps its progress in memory as it goes, and a retry resumes from it,
// failing with Zoo.CheckpointMissing when it is not there. Nothing fails on
// purpose, so warm and cold, which inject nothing, agree: only a fault that
// breaks a task mid-way (a kill; a restart's SIGTERM, which interrupts the
// work) makes a retry, on a fresh process. Diagnosis: the retry failed with
// its own error on a worker no fault touched, after a fault broke the attempt
// before it (lost-with-worker). Under wipe and disposable no task is broken,
// nothing is retried, and the verdict passes on what ran.
json resume_from_memory(const ZooTask& task, worker::TaskContext& context) {
  static std::map<std::string, std::int64_t> progress;
  if (task.attempt > 0 && progress.count(task.execution) == 0) {
    detail::fail(kCheckpointMissing,
                 "no progress of " + task.execution + " in this worker's memory");
  }
  progress[task.execution] = detail::first_half_words(task.text("content"));
  detail::work_a_while(context);
  return finish_from_checkpoint(task, progress[task.execution]);
}

// lost-checkpoint-disk (Lambda, disk, lost state). Expected: FAIL. The same
// checkpoint in a scratch file: warm, the retry's environment is the one that
// wrote it; cold, a fresh environment has empty scratch and fails with
// Zoo.CheckpointMissing. Diagnosis: the warm retry read
// zoo-checkpoint-<id>.json, which the failed attempt wrote.
json lost_checkpoint_disk(const ZooTask& task, worker::TaskContext& context) {
  const auto id = task.id();
  const auto checkpoint = context.scratch_dir() / ("zoo-checkpoint-" + id + ".json");
  detail::work_a_while(context);
  if (task.attempt == 0) {
    detail::write_text(checkpoint, std::to_string(detail::first_half_words(task.text("content"))));
    stop_half_way();
  }
  if (!fs::exists(checkpoint)) {
    detail::fail(kCheckpointMissing, "no checkpoint " + checkpoint.string() + " in scratch");
  }
  return finish_from_checkpoint(task, std::stoll(detail::read_text(checkpoint)));
}

// scratch-handoff (activity, two states, disk, left-behind state). Expected:
// FAIL. First leaves its result in a scratch file, Second reads it: warm, one
// worker runs both and the file is there; cold, Second runs on a fresh worker
// and fails with Zoo.HandoffMissing. Diagnosis: Second read
// zoo-handoff/<execution>.json, which First wrote.
json scratch_handoff(const ZooTask& task, worker::TaskContext& context) {
  const auto file = context.scratch_dir() / "zoo-handoff" / (task.execution + ".json");
  detail::work_a_while(context);
  if (task.step != "second") {
    detail::write_text(file, detail::summarise(task.id(), task.text("content")).dump());
    return {{"handoff", "scratch"}};
  }
  if (!fs::exists(file)) {
    detail::fail(kHandoffMissing, "First's result " + file.string() + " is not in scratch");
  }
  return json::parse(detail::read_text(file));
}

// memory-handoff (Lambda, two states, memory, left-behind state). Expected:
// FAIL. First leaves its result in a global, Second takes it from there: warm,
// one environment serves both; cold, Second's environment is fresh and fails
// with Zoo.HandoffMissing. Diagnosis: state kept in memory.
json memory_handoff(const ZooTask& task, worker::TaskContext& context) {
  static std::map<std::string, json> handed_off;
  detail::work_a_while(context);
  if (task.step != "second") {
    handed_off[task.execution] = detail::summarise(task.id(), task.text("content"));
    return {{"handoff", "memory"}};
  }
  const auto found = handed_off.find(task.execution);
  if (found == handed_off.end()) {
    detail::fail(kHandoffMissing, "First's result for " + task.execution + " is not in memory");
  }
  return found->second;
}

// lock-file-excl (activity, disk, left-behind state, existence check).
// Expected: FAIL. Takes a lock by creating zoo.lock with O_CREAT|O_EXCL and
// never removes it: warm, every task after the first finds the lock (EEXIST,
// no file is opened, so the audit sees no read) and fails with Zoo.Locked;
// cold, scratch is empty and every task succeeds. Diagnosis: a file an earlier
// task left behind (zoo.lock), not a read.
json lock_file_excl(const ZooTask& task, worker::TaskContext& context) {
  const auto lock = context.scratch_dir() / "zoo.lock";
  const int fd = ::open(lock.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) detail::fail(kLocked, lock.string() + " exists: the lock is taken");
    throw std::system_error(errno, std::generic_category(), "cannot create " + lock.string());
  }
  ::close(fd);
  detail::work_a_while(context);
  return detail::summarise(task.id(), task.text("content"));
}

// done-marker-access (Lambda, disk, left-behind state, existence check).
// Expected: FAIL. Marks each document done with an empty file and skips a
// document whose marker exists (access(F_OK), no open): warm, a repeated
// input is answered "already done" without its result; cold, it is processed.
// Diagnosis: files an earlier task left behind (zoo-done-<id>).
json done_marker_access(const ZooTask& task, worker::TaskContext& context) {
  const auto id = task.id();
  const auto marker = context.scratch_dir() / ("zoo-done-" + id);
  detail::work_a_while(context);
  if (::access(marker.c_str(), F_OK) == 0) return {{"id", id}, {"status", "already done"}};
  auto result = detail::summarise(id, task.text("content"));
  detail::write_text(marker, "");
  result["status"] = "done";
  return result;
}

// idempotency-set (activity, memory). Expected: FAIL. Remembers the ids it
// processed in a set in memory and answers a repeated id "duplicate": warm, a
// reused input is a duplicate on the worker that saw it; cold, never.
// Diagnosis: state kept in memory.
json idempotency_set(const ZooTask& task, worker::TaskContext& context) {
  static std::set<std::string> processed;
  const auto id = task.id();
  detail::work_a_while(context);
  if (!processed.insert(id).second) return {{"id", id}, {"status", "duplicate"}};
  auto result = detail::summarise(id, task.text("content"));
  result["status"] = "processed";
  return result;
}

// counter-in-output (Lambda, memory). Expected: FAIL. Numbers its invocations
// with a per-process counter and puts the number in the output: warm, the
// second invocation of an environment says 2; cold, every one says 1.
// Diagnosis: state kept in memory.
json counter_in_output(const ZooTask& task, worker::TaskContext& context) {
  static std::int64_t invocations = 0;
  detail::work_a_while(context);
  auto result = detail::summarise(task.id(), task.text("content"));
  result["invocation"] = ++invocations;
  return result;
}

// scratch-listing (activity, disk). Expected: FAIL. Writes each document to
// zoo-items/ and returns the listing of that directory: warm, it lists the
// documents earlier tasks left; cold, only its own. A directory listing opens
// no file, so the audit sees no read. Diagnosis: files an earlier task left
// behind (zoo-items/<id>.txt).
json scratch_listing(const ZooTask& task, worker::TaskContext& context) {
  const auto id = task.id();
  const auto items = context.scratch_dir() / "zoo-items";
  detail::write_text(items / (id + ".txt"), task.text("content"));
  detail::work_a_while(context);
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(items)) {
    names.insert(entry.path().filename().string());
  }
  return {{"id", id}, {"items", names}};
}

// literal-tmp-cache (activity, disk outside $TMPDIR). Expected: FAIL. The
// stale cache of stale-disk-cache, written to the literal /tmp (as the JVM and
// many tools do) instead of $TMPDIR, in a directory named by ZOO_RUN so runs
// do not share it: warm, the second version is answered from the first's
// entry; cold, a fresh worker's /tmp is empty. Only a private /tmp per worker
// (containers; process workers where the kernel allows a mount namespace)
// makes cold really cold and lets the audit see the read.
json literal_tmp_cache(const ZooTask& task, worker::TaskContext& context) {
  const char* run = std::getenv("ZOO_RUN");
  const fs::path dir = fs::path("/tmp") / ("loveless-zoo-" + std::string(run ? run : "run"));
  return name_keyed_cache(dir, task, context);
}

// working-dir-cache (activity, disk outside scratch). Expected: UNKNOWN on
// the process fleet, PASS on docker. The stale cache of stale-disk-cache,
// written relative to the working directory, best effort (a cache that cannot
// be written is skipped). A process worker's working directory is the
// runner's: the cache outlives the worker, so the cold phase's fresh workers
// find it and agree with the warm ones on the stale answer. The differential
// cannot prove anything then; the host file audit sees cold tasks read a file
// an earlier task wrote outside scratch, and the verdict says the cold phase
// was not cold. In a container the root file system is read-only: nothing is
// cached, every answer is right.
json working_dir_cache(const ZooTask& task, worker::TaskContext& context) {
  const char* run = std::getenv("ZOO_RUN");
  const fs::path dir = "loveless-zoo-cwd-" + std::string(run ? run : "run");
  return name_keyed_cache(dir, task, context, /*best_effort=*/true);
}

}  // namespace

std::map<std::string, worker::Handler> flawed_behaviours() {
  return {
      {"stale-disk-cache", detail::handler(stale_disk_cache)},
      {"stale-memory-cache", detail::handler(stale_memory_cache)},
      {"lost-checkpoint-memory", detail::handler(lost_checkpoint_memory)},
      {"lost-checkpoint-disk", detail::handler(lost_checkpoint_disk)},
      {"resume-from-memory", detail::handler(resume_from_memory)},
      {"scratch-handoff", detail::handler(scratch_handoff)},
      {"memory-handoff", detail::handler(memory_handoff)},
      {"lock-file-excl", detail::handler(lock_file_excl)},
      {"done-marker-access", detail::handler(done_marker_access)},
      {"idempotency-set", detail::handler(idempotency_set)},
      {"counter-in-output", detail::handler(counter_in_output)},
      {"scratch-listing", detail::handler(scratch_listing)},
      {"literal-tmp-cache", detail::handler(literal_tmp_cache)},
      {"working-dir-cache", detail::handler(working_dir_cache)},
  };
}

}  // namespace loveless::zoo
