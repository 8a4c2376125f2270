// libFuzzer target for what the local Lambda service makes of a Runtime API
// post (`/invocation/<id>/response`, `/invocation/<id>/error`,
// `/init/error`): any body, any error-type header, must give a result or an
// error with a cause, without throwing. The input's first byte chooses the
// post; for errors, the bytes up to the first newline are the header.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime_payload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    const auto outcome = loveless::engine::runtime_response_outcome(rest);
    // A payload is either a result or Lambda.Unknown, never neither.
    if (!outcome.output && outcome.error.empty()) std::abort();
    return 0;
  }
  const auto newline = rest.find('\n');
  const auto header =
      newline == std::string_view::npos ? std::string_view() : rest.substr(0, newline);
  const auto body = newline == std::string_view::npos ? rest : rest.substr(newline + 1);
  const auto outcome = loveless::engine::runtime_error_outcome(body, header);
  if (outcome.output || outcome.error.empty()) std::abort();
  return 0;
}
