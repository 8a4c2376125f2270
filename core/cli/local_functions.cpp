#include "local_functions.hpp"

#include <sstream>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "loveless/stacks/process_fleet.hpp"

#include "arguments.hpp"
#include <unistd.h>

namespace loveless::cli {
namespace {

bool is_function_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

FunctionOption parse_function_option(const std::string& value) {
  const auto equals = value.find('=');
  if (equals == std::string::npos) {
    throw UsageError("--function takes NAME=COMMAND, got '" + value + "'");
  }
  FunctionOption option;
  option.name = value.substr(0, equals);
  if (!is_function_name(option.name)) {
    throw UsageError("--function: '" + option.name +
                     "' is not a function name (1..64 letters, digits, '-' or '_')");
  }
  std::istringstream words(value.substr(equals + 1));
  for (std::string word; words >> word;) option.command.push_back(word);
  if (option.command.empty()) throw UsageError("--function " + option.name + ": empty COMMAND");
  return option;
}

LocalFunctions::LocalFunctions(engine::StepFunctionsService& service, std::string sfn_endpoint)
    : service_(service), sfn_endpoint_(std::move(sfn_endpoint)) {}

LocalFunctions::~LocalFunctions() { shutdown(); }

void LocalFunctions::add(const FunctionOption& function, std::chrono::milliseconds timeout,
                         int max_concurrency) {
  if (!fleet_) {
    // One run directory per serve process: scratch, logs and pid files of
    // every environment.
    run_dir_ =
        std::filesystem::temp_directory_path() / ("loveless-serve-" + std::to_string(::getpid()));
    stacks::FleetOptions options;
    options.run_id = run_dir_.filename().string();
    options.run_dir = run_dir_;
    options.sfn_endpoint = sfn_endpoint_;
    options.region = service_.options().region;
    fleet_ = stacks::make_process_fleet(std::move(options));
    spdlog::info("function environments run under {}", run_dir_.string());
  }
  stacks::PoolSpec spec;
  spec.name = function.name;
  spec.kind = stacks::PoolKind::kFunction;
  spec.command = function.command;
  auto pool = fleet_->add_function_pool(std::move(spec));
  // The fleet's supervision thread reports deaths; killed-by-reset ones
  // included, which the engine ignores (it discarded them already).
  pool->subscribe([this](const stacks::PoolEvent& event) {
    if (event.kind != stacks::PoolEvent::Kind::kDied) return;
    {
      std::lock_guard lock(mutex_);
      environments_.erase(event.worker_id);
    }
    service_.environment_exited(event.worker_id);
  });

  engine::LocalFunctionConfig config;
  config.name = function.name;
  config.timeout = timeout;
  config.max_concurrency = max_concurrency;
  config.launch_environment = [this, pool](const std::string& runtime_api) {
    auto worker = pool->launch_environment(runtime_api);
    std::lock_guard lock(mutex_);
    environments_[worker->id()] = worker;
    return worker->id();
  };
  config.reset_environment = [this](const std::string& id) { kill(id); };
  service_.register_function(std::move(config));
}

void LocalFunctions::kill(const std::string& environment_id) {
  std::shared_ptr<stacks::Worker> worker;
  {
    std::lock_guard lock(mutex_);
    const auto it = environments_.find(environment_id);
    if (it == environments_.end()) return;
    worker = it->second;
  }
  worker->kill();
}

void LocalFunctions::shutdown() {
  if (!fleet_) return;
  fleet_->shutdown();
  fleet_.reset();
  {
    std::lock_guard lock(mutex_);
    environments_.clear();
  }
  std::error_code ignored;
  std::filesystem::remove_all(run_dir_, ignored);
}

}  // namespace loveless::cli
