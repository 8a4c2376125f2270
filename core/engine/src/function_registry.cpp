#include "function_registry.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

namespace loveless::engine {

FunctionRegistry::~FunctionRegistry() { shutdown(); }

void FunctionRegistry::add(std::shared_ptr<LocalFunction> function) {
  bool single_use = false;
  {
    std::lock_guard lock(mutex_);
    const auto name = function->name();
    if (!functions_.emplace(name, function).second) {
      throw std::logic_error("function '" + name + "' is already registered");
    }
    single_use = single_use_;
  }
  if (single_use) function->set_single_use(true);
}

void FunctionRegistry::set_single_use(bool on) {
  std::vector<std::shared_ptr<LocalFunction>> functions;
  {
    std::lock_guard lock(mutex_);
    single_use_ = on;
    for (const auto& [name, function] : functions_) functions.push_back(function);
  }
  for (const auto& function : functions) function->set_single_use(on);
}

std::shared_ptr<LocalFunction> FunctionRegistry::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second;
}

void FunctionRegistry::environment_exited(const std::string& environment_id,
                                          const std::string& how) {
  std::vector<std::shared_ptr<LocalFunction>> functions;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, function] : functions_) functions.push_back(function);
  }
  // Every function hears about an id it does not know, in case the exit
  // overtook its launcher's return.
  bool known = false;
  for (const auto& function : functions)
    known = function->environment_exited(environment_id, how) || known;
  if (!known) spdlog::debug("exit of unknown environment '{}'", environment_id);
}

void FunctionRegistry::retire_environment(const std::string& environment_id) {
  std::vector<std::shared_ptr<LocalFunction>> functions;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, function] : functions_) functions.push_back(function);
  }
  for (const auto& function : functions) {
    if (function->retire_environment(environment_id)) return;
  }
}

void FunctionRegistry::shutdown() {
  std::vector<std::shared_ptr<LocalFunction>> functions;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, function] : functions_) functions.push_back(function);
  }
  for (const auto& function : functions) function->shutdown();
}

}  // namespace loveless::engine
