// runner-test-worker: the worker of the runner tests (tests/scenario/runner),
// built on the worker SDK, so it heartbeats, and on SIGTERM fails a task that
// outlasts LOVELESS_STOP_GRACE_MS with `Worker.Terminated`, as real workers do.
// One handler, `echo`, serves as the activity worker and as the Lambda function
// (`runner-test-worker echo`); for each task it
//   - writes `<activity|function>-<n>-input-<id>` in its scratch directory
//     (TMPDIR, /tmp in a container), n counting this process's tasks, holding
//     its worker name: every task leaves a file of its own, so a test can tell
//     which files a wipe removed;
//   - sleeps `sleep_ms` (activity) or `function_sleep_ms` (function) of its
//     input, so faults land while tasks run;
//   - returns its input, unchanged unless the data tests ask for more (the
//     same for the same input, so control and chaos outputs match):
//     `source_text`, the first line of the input's `source` file
//     (inputs_from_dir); with $LOVELESS_TEST_READ_ONLY, `read_only`, the first
//     line of its table.txt, and `read_only_write`, `allowed` or `refused`;
//     with $LOVELESS_TEST_DURABLE, `durable_write`, `ok` or `failed`, after
//     writing the scratch file's name and contents there too.
// A second handler, `callback`, is the function of callback_task.asl.json
// (below).
// runner-test-worker-static is the same, linked statically, in the image
// loveless/test-runner-worker (FROM scratch) for the docker fleet.
//
// Two switches make it a worker the fleet cannot recognise by name:
//   - RUNNER_TEST_WORKER_NAME_PREFIX=<p>: it polls with workerName `<p>-<pid>`
//     instead of LOVELESS_WORKER_NAME, as AWS SDK workers do (`hostname-pid`);
//   - RUNNER_TEST_DETACHED=1: the polling process is a child in a process
//     group of its own (it dies with its parent, PR_SET_PDEATHSIG), so on the
//     process fleet no worker's process group holds its connection.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "loveless/aws/json_client.hpp"
#include "loveless/worker/worker.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using loveless::worker::Role;
using loveless::worker::TaskContext;

std::string first_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

nlohmann::json with_data(nlohmann::json output, const std::string& file,
                         const std::string& worker) {
  if (output.contains("source")) {
    output["source_text"] = first_line(output["source"].get<std::string>());
  }
  if (const char* data = std::getenv("LOVELESS_TEST_READ_ONLY")) {
    output["read_only"] = first_line(std::filesystem::path(data) / "table.txt");
    const bool written =
        static_cast<bool>(std::ofstream(std::filesystem::path(data) / file) << worker << "\n");
    output["read_only_write"] = written ? "allowed" : "refused";
  }
  if (const char* store = std::getenv("LOVELESS_TEST_DURABLE")) {
    const bool written =
        static_cast<bool>(std::ofstream(std::filesystem::path(store) / file) << worker << "\n");
    output["durable_write"] = written ? "ok" : "failed";
  }
  return output;
}

nlohmann::json echo(const nlohmann::json& input, TaskContext& context) {
  const bool function = context.role() == Role::kLambda;
  static std::atomic<int> handled{0};
  const auto id =
      input.is_object() ? input.value("id", input.value("document", std::string("none"))) : "none";
  const auto file = std::string(function ? "function-" : "activity-") + std::to_string(++handled) +
                    "-input-" + id;
  std::ofstream(context.scratch_dir() / file) << context.worker_name() << "\n";
  const auto sleep_ms =
      input.is_object() ? input.value(function ? "function_sleep_ms" : "sleep_ms", 0) : 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
  return input.is_object() ? with_data(input, file, context.worker_name()) : input;
}

// `callback`: the function of lambda:invoke.waitForTaskToken
// (callback_task.asl.json). Its event is `{"token": <task token>, "input":
// <state input>}`: it works `function_sleep_ms` of the input, sending
// SendTaskHeartbeat with the token every 200 ms to AWS_ENDPOINT_URL_SFN, then
// SendTaskSuccess with the input as the output. A heartbeat answered
// TaskTimedOut (the task timed out while this environment was paused, and a
// retry owns the work) ends it without answering.
nlohmann::json callback(const nlohmann::json& event, TaskContext& /*context*/) {
  using std::chrono::steady_clock;
  const auto token = event.at("token").get<std::string>();
  const auto& input = event.at("input");
  loveless::aws::JsonClientOptions options;
  const char* endpoint = std::getenv("AWS_ENDPOINT_URL_SFN");
  options.endpoint = endpoint != nullptr ? endpoint : "";
  loveless::aws::JsonClient sfn(std::move(options));
  const auto work = std::chrono::milliseconds(input.value("function_sleep_ms", 0));
  const auto started = steady_clock::now();
  while (steady_clock::now() - started < work) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    try {
      sfn.call("SendTaskHeartbeat", {{"taskToken", token}});
    } catch (const loveless::aws::AwsError& e) {
      if (e.type() == "TaskTimedOut") return {{"answered", false}};
      throw;
    }
  }
  sfn.call("SendTaskSuccess", {{"taskToken", token}, {"output", input.dump()}});
  return {{"answered", true}};
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* detached = std::getenv("RUNNER_TEST_DETACHED");
      detached != nullptr && std::string(detached) == "1") {
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0) return 1;
    if (child > 0) {
      int status = 0;
      while (::waitpid(child, &status, 0) < 0) {
      }
      return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) return 1;
  }
  if (const char* prefix = std::getenv("RUNNER_TEST_WORKER_NAME_PREFIX"); prefix != nullptr) {
    const auto name = std::string(prefix) + "-" + std::to_string(::getpid());
    ::setenv("LOVELESS_WORKER_NAME", name.c_str(), 1);
  }
  return loveless::worker::run_worker_main({{"echo", echo}, {"callback", callback}}, argc, argv);
}
