#include "aws_test_support.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "loveless/aws_api/ecs_api.hpp"
#include "loveless/aws_api/fis_api.hpp"
#include "loveless/aws_api/lambda_api.hpp"
#include "loveless/stacks/aws/arn.hpp"
#include "loveless/stacks/aws/fis_experiments.hpp"

#include <spawn.h>
#include <sys/wait.h>

extern char**
    environ;  // NOLINT(readability-redundant-declaration): POSIX, for the sanitizer options

namespace loveless::testing {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

aws::ServiceClient client_of(const FakeAwsControlPlane& fake, const aws::ServiceEndpoint& service) {
  aws::ServiceClientOptions options;
  options.service = service;
  options.region = fake.options().region;
  options.endpoint = fake.endpoint();
  options.credentials = aws::static_credentials(fake.credentials());
  options.retry.max_attempts = 1;
  options.connect_timeout = std::chrono::milliseconds(2'000);
  options.read_timeout = std::chrono::milliseconds(5'000);
  options.env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  return aws::ServiceClient(std::move(options));
}

stacks::aws::AwsFleetContext fake_fleet_context(const FakeAwsControlPlane& fake,
                                                std::vector<std::string> allowed,
                                                const std::string& fis_role) {
  stacks::aws::AwsFleetContext context;
  context.guard = std::make_shared<aws_api::AwsCallGuard>(std::move(allowed), false, nullptr);
  context.run_id = "run-awsstack-test";
  context.ecs_poll_interval = std::chrono::milliseconds(20);
  context.replacement_timeout = std::chrono::seconds(5);
  context.ecs = std::make_shared<aws_api::EcsApi>(client_of(fake, aws::kEcs));
  aws_api::LambdaApi::Timing timing;
  timing.update_timeout = std::chrono::seconds(5);
  timing.poll_interval = std::chrono::milliseconds(10);
  context.lambda = std::make_shared<aws_api::LambdaApi>(client_of(fake, aws::kLambda), timing);
  if (!fis_role.empty()) {
    aws_api::FisTemplateCommon common;
    common.role_arn = fis_role;
    common.run_id = context.run_id;
    context.fis = std::make_shared<stacks::aws::FisExperiments>(
        std::make_shared<aws_api::FisApi>(client_of(fake, aws::kFis)), context.guard, common,
        std::chrono::seconds(60));
  }
  return context;
}

namespace {

engine::ServiceOptions engine_options() {
  engine::ServiceOptions options;
  options.activity_poll_timeout = std::chrono::milliseconds(500);
  options.seed = 7;
  return options;
}

}  // namespace

EngineUnderTest::EngineUnderTest() : service_(engine_options()), server_(service_) {
  server_.start("127.0.0.1", 0);
}

EngineUnderTest::~EngineUnderTest() { server_.stop(); }

aws::JsonClient EngineUnderTest::client(const aws::Credentials& credentials) const {
  aws::JsonClientOptions options;
  options.endpoint = url();
  options.region = "us-east-1";
  options.credentials = aws::static_credentials(credentials);
  return aws::JsonClient(options);
}

TaskProcesses::TaskProcesses(const FakeAwsControlPlane& fake, std::string cluster,
                             std::string service, std::string engine_url, std::string activity_arn,
                             std::filesystem::path scratch)
    : fake_(fake),
      cluster_(std::move(cluster)),
      service_(std::move(service)),
      engine_url_(std::move(engine_url)),
      activity_arn_(std::move(activity_arn)),
      scratch_(std::move(scratch)) {
  sync();
  follower_ = std::thread([this] { follow(); });
}

TaskProcesses::~TaskProcesses() { stop(); }

void TaskProcesses::follow() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stopping_; })) {
    lock.unlock();
    try {
      sync();
    } catch (const std::exception&) {
      // A failed look or start is tried again on the next round.
    }
    lock.lock();
  }
}

void TaskProcesses::sync() {
  // running_tasks also moves the fake's model on (a PENDING replacement
  // becomes RUNNING once its delay has passed).
  const auto running = fake_.running_tasks(cluster_, service_);
  const std::set<std::string> now(running.begin(), running.end());
  std::vector<std::string> fresh;
  {
    std::lock_guard lock(mutex_);
    for (const auto& arn : running) {
      if (!by_arn_.contains(arn)) fresh.push_back(arn);
    }
    for (auto& [arn, process] : by_arn_) {
      if (process.reaped || now.contains(arn)) continue;
      // The task stopped: its container ends, so does its process.
      ::kill(process.pid, SIGKILL);
      ::waitpid(process.pid, nullptr, 0);
      process.killed_for_stop = true;
      process.reaped = true;
    }
  }
  for (const auto& arn : fresh) spawn(arn);
}

void TaskProcesses::spawn(const std::string& task_arn) {
  const auto id = stacks::aws::last_resource_part(task_arn);
  const auto scratch = scratch_ / id;
  std::filesystem::create_directories(scratch);
  std::vector<std::string> variables = {
      "AWS_ENDPOINT_URL_SFN=" + engine_url_,
      "LOVELESS_ACTIVITY_ARN=" + activity_arn_,
      "LOVELESS_WORKER_NAME=" + id,
      "LOVELESS_HEARTBEAT_INTERVAL_MS=200",
      "TMPDIR=" + scratch.string(),
      // Never a real AWS endpoint or credential source from a worker.
      "AWS_EC2_METADATA_DISABLED=true",
      "AWS_REGION=us-east-1",
  };
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    if (variable.starts_with("ASAN_OPTIONS=") || variable.starts_with("UBSAN_OPTIONS=") ||
        variable.starts_with("LSAN_OPTIONS=")) {
      variables.emplace_back(variable);
    }
  }
  std::vector<char*> envp;
  for (auto& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);
  std::string binary = LOVELESS_RUNNER_TEST_WORKER;
  std::string handler = "echo";
  std::vector<char*> argv = {binary.data(), handler.data(), nullptr};
  pid_t pid = -1;
  if (const int error =
          ::posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv.data(), envp.data());
      error != 0) {
    throw std::runtime_error("cannot start " + binary + ": " + std::strerror(error));
  }
  std::lock_guard lock(mutex_);
  by_arn_[task_arn] = Process{task_arn, id, pid, false, false};
}

void TaskProcesses::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  wake_.notify_all();
  if (follower_.joinable()) follower_.join();
  std::lock_guard lock(mutex_);
  for (auto& [arn, process] : by_arn_) {
    if (process.reaped) continue;
    ::kill(process.pid, SIGKILL);
    ::waitpid(process.pid, nullptr, 0);
    process.reaped = true;
  }
}

std::vector<TaskProcesses::Process> TaskProcesses::processes() const {
  std::lock_guard lock(mutex_);
  std::vector<Process> all;
  for (const auto& [arn, process] : by_arn_) all.push_back(process);
  return all;
}

std::set<std::string> TaskProcesses::live_task_ids() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> ids;
  for (const auto& [arn, process] : by_arn_) {
    if (!process.reaped) ids.insert(process.task_id);
  }
  return ids;
}

std::set<std::string> TaskProcesses::started_task_ids() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> ids;
  for (const auto& [arn, process] : by_arn_) ids.insert(process.task_id);
  return ids;
}

bool process_gone(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

}  // namespace loveless::testing
