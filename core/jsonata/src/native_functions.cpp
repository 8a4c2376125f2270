#include "native_functions.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>

#include "loveless/digest/digest.hpp"

#include "heap_state.hpp"
#include "utf8_repair.hpp"
#include <duktape.h>

// Duktape raises errors with longjmp, which skips C++ destructors: each
// function below finishes its C++ work (and catches its exceptions) in an
// inner scope, and only then calls into Duktape with plain arrays.

namespace loveless::jsonata::detail {
namespace {

HeapState& heap_state(duk_context* context) {
  duk_memory_functions functions{};
  duk_get_memory_functions(context, &functions);
  return *static_cast<HeapState*>(functions.udata);
}

duk_ret_t over_budget(duk_context* context) {
  duk_push_boolean(context, heap_state(context).over_budget() ? 1 : 0);
  return 1;
}

// __loveless_digest(algorithm, data): the digest of data's UTF-8 bytes.
duk_ret_t digest(duk_context* context) {
  duk_size_t algorithm_length = 0;
  duk_size_t data_length = 0;
  const char* algorithm = duk_get_lstring(context, 0, &algorithm_length);
  const char* data = duk_get_lstring(context, 1, &data_length);
  if (algorithm == nullptr || data == nullptr) return 0;
  std::array<char, 2 * 64> hex{};
  std::size_t hex_length = 0;
  bool failed = false;
  try {
    const auto digest =
        loveless::digest::digest_hex(std::string_view(algorithm, algorithm_length),
                                     repair_utf8(std::string_view(data, data_length)));
    if (digest && digest->size() <= hex.size()) {
      digest->copy(hex.data(), digest->size());
      hex_length = digest->size();
    }
  } catch (...) {
    failed = true;
  }
  if (failed) return DUK_RET_ERROR;
  if (hex_length == 0) return 0;
  duk_push_lstring(context, hex.data(), hex_length);
  return 1;
}

std::uint64_t seed() noexcept {
  try {
    return std::random_device{}();
  } catch (...) {
    // No entropy source: the clock still makes heaps' sequences differ.
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
}

// __loveless_uuid(): a random (version 4, RFC 4122) UUID, as States.UUID.
duk_ret_t uuid(duk_context* context) {
  thread_local std::mt19937_64 generator{seed()};
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    const std::uint64_t word = generator();
    for (std::size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0FU) | 0x40U);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3FU) | 0x80U);
  std::array<char, 37> text{};
  std::snprintf(text.data(), text.size(),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  duk_push_lstring(context, text.data(), 36);
  return 1;
}

}  // namespace

void register_native_functions(duk_context* context) {
  duk_push_c_function(context, over_budget, 0);
  duk_put_global_string(context, "__loveless_over_budget");
  duk_push_c_function(context, digest, 2);
  duk_put_global_string(context, "__loveless_digest");
  duk_push_c_function(context, uuid, 0);
  duk_put_global_string(context, "__loveless_uuid");
}

}  // namespace loveless::jsonata::detail
