#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "local_function.hpp"

namespace loveless::engine {

/// Every locally hosted Lambda function, by name.
///
/// Thread-safety: every method may be called from any thread; the registry's
/// lock is a leaf (never held while calling into a function).
class FunctionRegistry {
 public:
  FunctionRegistry() = default;
  ~FunctionRegistry();  // calls shutdown()
  FunctionRegistry(const FunctionRegistry&) = delete;
  FunctionRegistry& operator=(const FunctionRegistry&) = delete;

  /// Throws `std::logic_error` when a function of that name is registered.
  void add(std::shared_ptr<LocalFunction> function);
  /// nullptr when no function has that name.
  [[nodiscard]] std::shared_ptr<LocalFunction> find(const std::string& name) const;
  /// Tells the function that owns the environment; unknown ids are ignored.
  void environment_exited(const std::string& environment_id, const std::string& how);
  /// `LocalFunction::retire_environment` on the function that owns it;
  /// unknown ids are ignored.
  void retire_environment(const std::string& environment_id);
  /// `LocalFunction::set_single_use` on every function, and on those added later.
  void set_single_use(bool on);
  /// Shuts every function down. Idempotent.
  void shutdown();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<LocalFunction>> functions_;
  bool single_use_ = false;
};

}  // namespace loveless::engine
