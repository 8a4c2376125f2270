#pragma once

#include <stdexcept>
#include <string>

namespace loveless::engine {

/// An error the Step Functions API returns: HTTP 400 with
/// `{"__type": "<type>", "message": "<message>"}`. `type` is the bare error
/// name (`ExecutionDoesNotExist`, `InvalidArn`, `TaskTimedOut`, ...).
class ServiceError : public std::runtime_error {
 public:
  ServiceError(std::string type, std::string message)
      : std::runtime_error(type + ": " + message),
        type_(std::move(type)),
        message_(std::move(message)) {}
  [[nodiscard]] const std::string& type() const noexcept { return type_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string type_;
  std::string message_;
};

}  // namespace loveless::engine
