#include <sstream>

#include "loveless/scenario/scenario.hpp"

namespace loveless::scenario {
namespace {

std::vector<std::string> split_command_line(const std::string& line) {
  std::istringstream words(line);
  std::vector<std::string> argv;
  for (std::string word; words >> word;) argv.push_back(word);
  return argv;
}

}  // namespace

WorkflowBuilder& WorkflowBuilder::bind(const std::string& placeholder, ResourceRef resource) {
  spec_->substitutions[placeholder] = std::move(resource);
  return *this;
}

PoolBuilder& PoolBuilder::command(const std::string& command_line) {
  pool_->command = split_command_line(command_line);
  return *this;
}

PoolBuilder& PoolBuilder::command(std::vector<std::string> argv) {
  pool_->command = std::move(argv);
  return *this;
}

PoolBuilder& PoolBuilder::image(std::string image, std::string entrypoint) {
  pool_->image = std::move(image);
  pool_->image_entrypoint = std::move(entrypoint);
  return *this;
}

PoolBuilder& PoolBuilder::replicas(int count) {
  pool_->replicas = count;
  return *this;
}

PoolBuilder& PoolBuilder::replacement_delay(std::chrono::milliseconds delay) {
  pool_->replacement_delay = delay;
  return *this;
}

PoolBuilder& PoolBuilder::env(const std::string& name, std::string value) {
  pool_->environment[name] = std::move(value);
  return *this;
}

PoolBuilder& PoolBuilder::timeout(std::chrono::milliseconds timeout) {
  pool_->timeout = timeout;
  return *this;
}

PoolBuilder& PoolBuilder::concurrency(int environments) {
  pool_->concurrency = environments;
  return *this;
}

WorkloadBuilder& WorkloadBuilder::count(int executions) {
  spec_->count = executions;
  return *this;
}

WorkloadBuilder& WorkloadBuilder::concurrency(int executions) {
  spec_->concurrency = executions;
  return *this;
}

WorkloadBuilder& WorkloadBuilder::rate(double per_second) {
  spec_->rate = per_second;
  return *this;
}

WorkloadBuilder& WorkloadBuilder::duration(std::chrono::milliseconds chaos_duration) {
  spec_->duration = chaos_duration;
  return *this;
}

WorkloadBuilder& WorkloadBuilder::input(nlohmann::json input) {
  spec_->inputs.push_back(std::move(input));
  return *this;
}

WorkloadBuilder& WorkloadBuilder::inputs(std::vector<nlohmann::json> inputs) {
  for (auto& input : inputs) spec_->inputs.push_back(std::move(input));
  return *this;
}

WorkloadBuilder& WorkloadBuilder::inputs_from_dir(std::filesystem::path dir, InputMapper mapper) {
  spec_->input_dir = std::move(dir);
  spec_->mapper = std::move(mapper);
  return *this;
}

bool ScenarioSpec::should_fail() const {
  for (const auto& tag : tags) {
    if (tag == "!shouldfail") return true;
  }
  return false;
}

WorkflowBuilder Scenario::workflow(const std::string& name, const std::filesystem::path& file) {
  auto& workflow = spec_->workflows.emplace_back();
  workflow.name = name;
  workflow.file = file;
  return WorkflowBuilder(workflow);
}

WorkflowBuilder Scenario::workflow_text(const std::string& name, std::string definition) {
  auto& workflow = spec_->workflows.emplace_back();
  workflow.name = name;
  workflow.definition = std::move(definition);
  return WorkflowBuilder(workflow);
}

PoolBuilder Scenario::activity_pool(const std::string& name) {
  auto& pool = spec_->pools.emplace_back();
  pool.name = name;
  return PoolBuilder(pool);
}

PoolBuilder Scenario::function_pool(const std::string& name) {
  auto& pool = spec_->pools.emplace_back();
  pool.name = name;
  pool.function = true;
  return PoolBuilder(pool);
}

void Scenario::durable_directory(const std::string& name, const std::string& environment_variable) {
  spec_->directories.push_back({name, environment_variable});
}

void Scenario::read_only_directory(const std::filesystem::path& host_path,
                                   const std::string& environment_variable) {
  spec_->read_only_directories.push_back({host_path, environment_variable});
}

WorkloadBuilder Scenario::executions(const WorkflowBuilder& workflow) {
  if (spec_->workload) {
    spec_->declaration_errors.emplace_back(
        "s.executions(...) is called twice; a scenario has one workload");
  }
  spec_->workload.emplace();
  spec_->workload->workflow = workflow.name();
  return WorkloadBuilder(*spec_->workload);
}

void Scenario::inject(const injectors::Injector& injector) {
  spec_->injectors.push_back(injector.spec());
}

void Scenario::check(checks::CheckPtr check) {
  if (!check) {
    spec_->declaration_errors.emplace_back("s.check(...) got no check");
    return;
  }
  spec_->checks.push_back(std::move(check));
}

void Scenario::deadline(std::chrono::milliseconds limit) { spec_->deadline = limit; }

AwsBindingsBuilder Scenario::aws() { return AwsBindingsBuilder(spec_->aws); }

}  // namespace loveless::scenario
