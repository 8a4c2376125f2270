#include "native_functions.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string_view>

#include "loveless/digest/digest.hpp"

#include "spidermonkey.hpp"

namespace loveless::jsonata::detail {
namespace {

// __loveless_digest(algorithm, data): the digest of data's UTF-8 bytes
// (a lone surrogate as U+FFFD), or undefined for an unknown algorithm.
bool digest(JSContext* context, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  args.rval().setUndefined();
  if (args.length() < 2 || !args[0].isString() || !args[1].isString()) return true;
  JS::RootedString algorithm_string(context, args[0].toString());
  JS::RootedString data_string(context, args[1].toString());
  JS::UniqueChars algorithm = JS_EncodeStringToUTF8(context, algorithm_string);
  JS::UniqueChars data = JS_EncodeStringToUTF8(context, data_string);
  if (!algorithm || !data) return false;
  std::optional<std::string> hex;
  try {
    hex = loveless::digest::digest_hex(algorithm.get(), data.get());
  } catch (const std::exception& error) {
    JS_ReportErrorUTF8(context, "$hash: %s", error.what());
    return false;
  }
  if (!hex) return true;
  JSString* result = JS_NewStringCopyN(context, hex->data(), hex->size());
  if (result == nullptr) return false;
  args.rval().setString(result);
  return true;
}

std::uint64_t seed() noexcept {
  try {
    return std::random_device{}();
  } catch (...) {
    // No entropy source: the clock still makes threads' sequences differ.
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
}

// __loveless_uuid(): a random (version 4, RFC 4122) UUID, as States.UUID.
bool uuid(JSContext* context, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
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
  JSString* result = JS_NewStringCopyN(context, text.data(), 36);
  if (result == nullptr) return false;
  args.rval().setString(result);
  return true;
}

}  // namespace

bool register_native_functions(JSContext* context, JS::HandleObject global) {
  return JS_DefineFunction(context, global, "__loveless_digest", digest, 2, 0) != nullptr &&
         JS_DefineFunction(context, global, "__loveless_uuid", uuid, 0, 0) != nullptr;
}

}  // namespace loveless::jsonata::detail
