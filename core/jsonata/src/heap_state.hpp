#pragma once

// What a Duktape heap's allocator, fatal handler and native functions share:
// the heap's user data (duk_create_heap's heap_udata).

#include <array>
#include <chrono>
#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace loveless::jsonata::detail {

struct HeapState {
  // Memory bound: bytes the allocator has handed out, and their cap.
  std::size_t used_bytes = 0;
  std::size_t cap_bytes = 0;
  // Set when the allocator refused a block for the cap or the deadline.
  bool memory_refused = false;
  bool time_exceeded = false;
  // Set when an error escaped the prelude (it catches everything jsonata
  // raises): the heap's state is unknown.
  bool broken = false;
  // Time bound of the current call; the allocator looks at the clock only
  // every kClockStride allocations, the clock costing more than malloc.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::uint32_t allocations_since_clock = 0;
  static constexpr std::uint32_t kClockStride = 256;
  // Duktape's fatal handler must not return: it jumps back to the guarded
  // call that entered the heap (heap.cpp, guarded_safe_call).
  std::jmp_buf fatal_jump{};
  bool in_guarded_call = false;
  bool fatal = false;
  std::array<char, 256> fatal_message{};

  /// True once the deadline passed (remembered) or memory was refused.
  bool over_budget() {
    if (!time_exceeded && std::chrono::steady_clock::now() > deadline) time_exceeded = true;
    return time_exceeded || memory_refused;
  }
};

}  // namespace loveless::jsonata::detail
