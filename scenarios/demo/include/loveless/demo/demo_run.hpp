#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/demo/handlers.hpp"
#include "loveless/demo/tokenizer.hpp"
#include "loveless/demo/workflows.hpp"
#include "loveless/stacks/local_stack.hpp"

namespace loveless::demo {

/// The demo's image for the docker fleet, built FROM scratch around the
/// statically linked demo-worker-static, and that binary's path inside it.
inline constexpr std::string_view kDemoImage = "loveless/demo";
inline constexpr std::string_view kDemoImageBinary = "/demo-worker-static";
/// Where a container sees the durable store (a process sees it at its host path).
inline constexpr std::string_view kContainerStorePath = "/store";

/// How to run the demo application on a local stack.
struct DemoOptions {
  Variant variant = Variant::kCorrect;
  /// The demo-worker executable (`build/bin/demo-worker`): the workers on a
  /// process fleet.
  std::filesystem::path worker_binary;
  /// The workers on a docker fleet: this image (never pulled; the build makes
  /// it when a Docker engine answers) running `image_binary <handler>`.
  std::string image = std::string(kDemoImage);
  std::string image_binary = std::string(kDemoImageBinary);
  /// Activity workers serving count-words.
  int activity_workers = 3;
  /// Sent in every execution's input (`lines_per_chunk`).
  int lines_per_chunk = kDefaultLinesPerChunk;
  /// count-words' deliberate pause per chunk (LOVELESS_DEMO_CHUNK_DELAY_MS).
  std::chrono::milliseconds chunk_delay{300};
  /// Function timeout and most environments at once, for split and merge.
  std::chrono::milliseconds function_timeout{10'000};
  int function_concurrency = 4;
};

/// How one document's execution ended.
struct DocumentResult {
  std::string document;
  std::filesystem::path source;
  std::string execution_arn;
  /// SUCCEEDED, FAILED, TIMED_OUT, ABORTED, or RUNNING when the wait gave up.
  std::string status;
  /// The merge output (`{"document", "total_words", "distinct_words", "top", "result"}`).
  nlohmann::json output;
  std::string error;
  std::string cause;
  std::chrono::milliseconds duration{0};
  /// Empty when the output agrees with a single-process count of the source;
  /// otherwise what differs. Only set for SUCCEEDED executions.
  std::string mismatch;
  [[nodiscard]] bool correct() const { return status == "SUCCEEDED" && mismatch.empty(); }
};

/// The demo application deployed on a local stack that is up: a store under
/// the run directory, the count-words activity and its pool, the split and
/// merge functions, the variant's workflow. On a process fleet the workers run
/// `worker_binary`; on a docker fleet, `image`. Either way the store is
/// bind-mounted into every worker (`PoolSpec::mounts`) and named by
/// LOVELESS_DEMO_STORE: at its host path for a process, at `/store` in a
/// container.
///
/// Thread-safety: one thread (it holds one engine client).
class DemoDeployment {
 public:
  /// Throws `std::invalid_argument` when the worker binary (process fleet)
  /// does not exist, `std::runtime_error` when the Docker engine has no
  /// `image` (docker fleet; the message says how to build it), `aws::AwsError`
  /// when the engine refuses the workflow.
  DemoDeployment(stacks::LocalStack& stack, DemoOptions options);

  [[nodiscard]] const std::filesystem::path& store() const noexcept { return store_; }
  [[nodiscard]] const std::string& state_machine_arn() const noexcept { return state_machine_; }
  [[nodiscard]] const std::shared_ptr<stacks::Pool>& count_words_pool() const noexcept {
    return count_words_pool_;
  }
  /// Every pool: count-words, then the split and merge functions.
  [[nodiscard]] std::vector<std::shared_ptr<stacks::Pool>> pools() const;

  /// Copies a local file into the store as `documents/<file name>` (the S3
  /// upload) and returns the document name.
  std::string upload(const std::filesystem::path& source);
  /// StartExecution for an uploaded document; returns the execution ARN.
  std::string start(const std::string& document, const std::string& execution_name);
  /// Polls until the execution closes or `deadline` passes, then fills in the
  /// result (verified against `count_words(source)` when it succeeded).
  DocumentResult wait(const std::string& execution_arn, const std::filesystem::path& source,
                      std::chrono::steady_clock::time_point deadline);

 private:
  stacks::LocalStack& stack_;
  DemoOptions options_;
  aws::JsonClient client_;
  std::filesystem::path store_;
  std::string state_machine_;
  std::shared_ptr<stacks::Pool> count_words_pool_;
  std::shared_ptr<stacks::Pool> split_pool_;
  std::shared_ptr<stacks::Pool> merge_pool_;
};

/// The regular files of `dir` (symbolic links to files of the same directory
/// counted once), by name; the first `limit` of them, or all for 0. Throws
/// `std::invalid_argument` when `dir` is not a directory or has no file.
std::vector<std::filesystem::path> list_documents(const std::filesystem::path& dir, int limit);

/// Compares a merge output and its stored result with `expected`; returns ""
/// when they agree, else a description of the first difference.
std::string compare_with(const nlohmann::json& output, const std::filesystem::path& store,
                         const WordCounts& expected);

/// A valid execution name (1..80 of `[A-Za-z0-9_-]`) for `document` and `index`.
std::string execution_name(const std::string& document, std::size_t index);

}  // namespace loveless::demo
