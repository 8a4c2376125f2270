#pragma once

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>

/// Bounded polling, as the AWS SDKs' waiters poll a Describe call until a
/// resource reaches a state.
namespace loveless::aws_api {

/// A wait did not see its condition within its timeout. The message says
/// what was awaited and the last state seen.
class AwsWaitTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Calls `poll` until it returns true, sleeping `interval` between calls, for
/// at most `timeout` (the first call is made at once, the last one no later
/// than `timeout` after the start). Returns false on timeout; exceptions of
/// `poll` propagate.
bool poll_until(std::chrono::milliseconds timeout, std::chrono::milliseconds interval,
                const std::function<bool()>& poll);

}  // namespace loveless::aws_api
