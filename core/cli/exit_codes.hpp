#pragma once

namespace loveless::cli {

/// Exit codes of the `loveless` command (docs/ci.md).
namespace exit_codes {
inline constexpr int kSuccess = 0;
/// A check failed (for `sample`: an execution did not succeed).
inline constexpr int kFailure = 1;
/// Invalid usage: unknown command or option, bad value.
inline constexpr int kUsage = 2;
/// The stack could not be brought up (for `serve`: the port is taken).
inline constexpr int kStackUnavailable = 3;
}  // namespace exit_codes

}  // namespace loveless::cli
