#include "environment.hpp"

#include <array>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <stdexcept>

#include "loveless/worker/worker.hpp"

#include "ecs_task_metadata.hpp"
#include <unistd.h>

namespace loveless::worker {
namespace {

// GetActivityTask refuses a longer workerName (1..80 characters).
constexpr std::size_t kMaxWorkerNameLength = 80;

// The default of a missing variable is fine; a malformed one is a deployment
// mistake worth refusing at start-up rather than guessing around.
[[noreturn]] void throw_malformed(const char* name, const std::string& value,
                                  const char* expected) {
  throw std::invalid_argument(std::string(name) + "='" + value + "' is not " + expected);
}

std::string required(const char* name, const char* purpose) {
  auto value = environment_value(name);
  if (!value) throw std::invalid_argument(std::string(name) + " is not set (" + purpose + ")");
  return *value;
}

int environment_int(const char* name) {
  const auto value = environment_count(name, 0);
  if (value > INT_MAX) throw_malformed(name, std::to_string(value), "an int");
  return static_cast<int>(value);
}

// Endpoints are joined with request paths; a trailing slash would double them.
std::string without_trailing_slash(std::string url) {
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::optional<std::string> environment_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

long long environment_count(const char* name, long long fallback) {
  const auto value = environment_value(name);
  if (!value) return fallback;
  long long parsed = 0;
  const auto* const end = value->data() + value->size();
  const auto [rest, error] = std::from_chars(value->data(), end, parsed);
  if (error != std::errc() || rest != end || parsed < 0) {
    throw_malformed(name, *value, "a non-negative integer");
  }
  return parsed;
}

std::chrono::milliseconds environment_milliseconds(const char* name,
                                                   std::chrono::milliseconds fallback) {
  return std::chrono::milliseconds(environment_count(name, fallback.count()));
}

std::string default_worker_name() {
  // On ECS the task id names the worker, as the aws stack names its workers.
  if (auto task = ecs_task_id(std::chrono::seconds(1))) return *task;
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  std::string name = std::string(host.data()) + "-" + std::to_string(::getpid());
  if (name.front() == '-') name.insert(0, "worker");
  if (name.size() > kMaxWorkerNameLength) name.erase(0, name.size() - kMaxWorkerNameLength);
  return name;
}

std::filesystem::path scratch_dir_from_environment() {
  return environment_value("TMPDIR").value_or("/tmp");
}

ActivityWorkerOptions ActivityWorkerOptions::from_environment() {
  ActivityWorkerOptions options;
  options.endpoint = without_trailing_slash(
      required("AWS_ENDPOINT_URL_SFN", "the Step Functions endpoint, e.g. http://127.0.0.1:8083"));
  options.activity_arn = required("LOVELESS_ACTIVITY_ARN", "the activity this worker polls");
  options.worker_name = environment_value("LOVELESS_WORKER_NAME").value_or(default_worker_name());
  options.heartbeat_interval =
      environment_milliseconds("LOVELESS_HEARTBEAT_INTERVAL_MS", options.heartbeat_interval);
  if (options.heartbeat_interval.count() == 0) {
    throw std::invalid_argument("LOVELESS_HEARTBEAT_INTERVAL_MS must be above 0");
  }
  options.max_tasks = environment_int("LOVELESS_MAX_TASKS");
  options.stop_grace = environment_milliseconds("LOVELESS_STOP_GRACE_MS", options.stop_grace);
  return options;
}

LambdaRuntimeOptions LambdaRuntimeOptions::from_environment() {
  LambdaRuntimeOptions options;
  options.runtime_api = required("AWS_LAMBDA_RUNTIME_API", "host:port of the Lambda Runtime API");
  options.function_name = environment_value("AWS_LAMBDA_FUNCTION_NAME").value_or("");
  options.worker_name = environment_value("LOVELESS_WORKER_NAME").value_or(options.function_name);
  options.max_invocations = environment_int("LOVELESS_MAX_TASKS");
  options.stop_grace = environment_milliseconds("LOVELESS_STOP_GRACE_MS", options.stop_grace);
  return options;
}

}  // namespace loveless::worker
