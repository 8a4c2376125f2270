#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace loveless {

/// A failure as Step Functions records one: an error name that Retry and
/// Catch match (`States.Runtime`, `Worker.UnhandledException`, a handler's
/// own name) and a human-readable cause. `what()` is `"<error>: <cause>"`.
/// The base of `asl::StatesError` (raised while the interpreter evaluates a
/// state) and `worker::TaskFailure` (thrown by a handler to fail its task),
/// which stay distinct types so that each is caught only where it is meant.
class ErrorWithCause : public std::runtime_error {
 public:
  ErrorWithCause(std::string error, std::string cause)
      : std::runtime_error(error + ": " + cause),
        error_(std::move(error)),
        cause_(std::move(cause)) {}

  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] const std::string& cause() const noexcept { return cause_; }

 private:
  std::string error_;
  std::string cause_;
};

}  // namespace loveless
