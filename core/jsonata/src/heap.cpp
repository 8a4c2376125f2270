#include "heap.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "embedded_js.hpp"
#include "heap_state.hpp"
#include "native_functions.hpp"
#include <duktape.h>

namespace loveless::jsonata::detail {
namespace {

// Each block carries its size in front, so that free and realloc can keep
// HeapState::used_bytes exact; 16 bytes keep the block aligned for any type.
constexpr std::size_t kHeader = 16;

HeapState& state_of(void* udata) { return *static_cast<HeapState*>(udata); }

// Refuses a block beyond the memory cap or, once the deadline passed, any
// block: Duktape then collects garbage, retries and raises a RangeError, which
// unwinds the evaluation from wherever it is, even inside a builtin that
// never returns to jsonata's evaluation hooks (a huge $string, [1..1e7]).
bool admit(HeapState& state, std::size_t size) {
  if (++state.allocations_since_clock >= HeapState::kClockStride) {
    state.allocations_since_clock = 0;
    state.over_budget();
  }
  if (state.time_exceeded) return false;
  if (size > state.cap_bytes - state.used_bytes || state.used_bytes > state.cap_bytes) {
    state.memory_refused = true;
    return false;
  }
  return true;
}

void* heap_alloc(void* udata, duk_size_t size) {
  HeapState& state = state_of(udata);
  if (size == 0 || !admit(state, size)) return nullptr;
  auto* block = static_cast<unsigned char*>(std::malloc(kHeader + size));
  if (block == nullptr) return nullptr;
  std::memcpy(block, &size, sizeof size);
  state.used_bytes += size;
  return block + kHeader;
}

void heap_free(void* udata, void* pointer) {
  if (pointer == nullptr) return;
  auto* block = static_cast<unsigned char*>(pointer) - kHeader;
  std::size_t size = 0;
  std::memcpy(&size, block, sizeof size);
  state_of(udata).used_bytes -= size;
  std::free(block);
}

void* heap_realloc(void* udata, void* pointer, duk_size_t size) {
  if (pointer == nullptr) return heap_alloc(udata, size);
  if (size == 0) {
    heap_free(udata, pointer);
    return nullptr;
  }
  HeapState& state = state_of(udata);
  auto* block = static_cast<unsigned char*>(pointer) - kHeader;
  std::size_t old_size = 0;
  std::memcpy(&old_size, block, sizeof old_size);
  if (size > old_size && !admit(state, size - old_size)) return nullptr;
  auto* grown = static_cast<unsigned char*>(std::realloc(block, kHeader + size));
  if (grown == nullptr) return nullptr;
  std::memcpy(grown, &size, sizeof size);
  state.used_bytes = state.used_bytes - old_size + size;
  return grown + kHeader;
}

// Duktape calls this for an error no protected call catches or an internal
// inconsistency, and aborts the process if it returns. Every entry into the
// heap goes through guarded_safe_call, which set the jump target: back there,
// the heap is abandoned (never used or destroyed again) and the evaluation
// fails instead of the process. The frames skipped are Duktape's and our
// native functions', which hold no C++ object with a destructor when they
// call into Duktape (native_functions.cpp).
[[noreturn]] void on_fatal(void* udata, const char* message) {
  HeapState& state = state_of(udata);
  std::snprintf(state.fatal_message.data(), state.fatal_message.size(), "%s",
                message == nullptr ? "(no message)" : message);
  if (state.in_guarded_call) {
    state.fatal = true;
    std::longjmp(state.fatal_jump, 1);
  }
  // Outside a call (creating or destroying the heap) there is no caller to
  // return to.
  std::fprintf(stderr, "loveless: Duktape fatal error outside an evaluation: %s\n",
               state.fatal_message.data());
  std::abort();
}

constexpr int kFatalReturn = -1;

// The only place that enters the heap. Kept to the setjmp and the call: no
// object lives in this frame that a longjmp back to it could skip.
int guarded_safe_call(duk_context* context, HeapState& state, duk_safe_call_function function,
                      void* udata) {
  state.in_guarded_call = true;
  if (setjmp(state.fatal_jump) != 0) {
    state.in_guarded_call = false;
    return kFatalReturn;
  }
  const int result = duk_safe_call(context, function, udata, 0, 1);
  state.in_guarded_call = false;
  return result;
}

duk_ret_t load_scripts(duk_context* context, void* /*udata*/) {
  // The polyfill and jsonata's UMD wrapper look for a `global` object.
  duk_push_global_object(context);
  duk_put_global_string(context, "global");
  register_native_functions(context);
  for (const EmbeddedScript& script : embedded_scripts()) {
    duk_push_lstring(context, script.source.data(), script.source.size());
    duk_push_lstring(context, script.name.data(), script.name.size());
    duk_compile(context, 0);
    duk_call(context, 0);
    duk_pop(context);
  }
  duk_push_undefined(context);
  return 1;
}

struct PreludeCall {
  const char* function_name;
  std::string_view arguments[3];
};

duk_ret_t call_prelude(duk_context* context, void* udata) {
  const auto& call = *static_cast<const PreludeCall*>(udata);
  duk_get_global_string(context, call.function_name);
  for (std::string_view argument : call.arguments) {
    duk_push_lstring(context, argument.data(), argument.size());
  }
  duk_call(context, 3);
  return 1;
}

duk_ret_t set_max_depth(duk_context* context, void* udata) {
  duk_push_int(context, *static_cast<const int*>(udata));
  duk_put_global_string(context, "__loveless_max_depth");
  duk_push_undefined(context);
  return 1;
}

duk_ret_t call_fatal(duk_context* context, void* /*udata*/) {
  duk_fatal(context, "raised by a test");
  return 0;  // duk_fatal does not return; Duktape's header does not say so
}

[[noreturn]] void throw_bound(const HeapState& state, std::string_view detail) {
  if (state.time_exceeded) {
    throw EvaluationError("L0001", "Expression evaluation timeout: Check for infinite loop", -1);
  }
  if (state.memory_refused) {
    throw EvaluationError("L0002",
                          "Expression evaluation exceeded the memory bound of the evaluator (" +
                              std::to_string(state.cap_bytes >> 20U) + " MiB)",
                          -1);
  }
  throw EvaluationError("L0003", "JSONata evaluator failure: " + std::string(detail), -1);
}

}  // namespace

Heap::Heap(const Limits& limits) : state_(std::make_unique<HeapState>()) {
  state_->cap_bytes = limits.memory_bytes;
  context_ = duk_create_heap(heap_alloc, heap_realloc, heap_free, state_.get(), on_fatal);
  if (context_ == nullptr) throw_bound(*state_, "Duktape could not create a heap");
  int depth = limits.depth;
  // Loading is bounded like an evaluation, so a too small cap fails here.
  state_->deadline = std::chrono::steady_clock::now() + limits.time;
  int result = guarded_safe_call(context_, *state_, load_scripts, nullptr);
  if (result == DUK_EXEC_SUCCESS) {
    duk_pop(context_);
    result = guarded_safe_call(context_, *state_, set_max_depth, &depth);
  }
  state_->deadline = std::chrono::steady_clock::time_point::max();
  if (result != DUK_EXEC_SUCCESS) {
    std::string detail = state_->fatal ? std::string(state_->fatal_message.data())
                                       : std::string(duk_safe_to_string(context_, -1));
    destroy_context();
    if (!state_->memory_refused && !state_->time_exceeded) {
      detail = "the embedded JavaScript does not load: " + detail;
    }
    throw_bound(*state_, detail);
  }
  duk_pop(context_);
}

Heap::~Heap() { destroy_context(); }

void Heap::destroy_context() {
  if (context_ == nullptr) return;
  if (state_->fatal) {
    // After a fatal error the heap's structures may be inconsistent: freeing
    // them could crash. Its memory (bounded by the cap) is left behind.
    static_cast<void>(state_.release());
    return;
  }
  // Destroying frees every block, also beyond a cap that was hit.
  state_->cap_bytes = static_cast<std::size_t>(-1);
  state_->time_exceeded = false;
  duk_destroy_heap(context_);
  context_ = nullptr;
}

bool Heap::usable() const {
  return !state_->fatal && !state_->broken && !state_->time_exceeded && !state_->memory_refused;
}

std::string Heap::call(const char* function_name, std::string_view arg0, std::string_view arg1,
                       std::string_view arg2, std::chrono::milliseconds time) {
  HeapState& state = *state_;
  PreludeCall call{function_name, {arg0, arg1, arg2}};
  state.allocations_since_clock = 0;
  state.deadline = std::chrono::steady_clock::now() + time;
  const int result = guarded_safe_call(context_, state, call_prelude, &call);
  state.deadline = std::chrono::steady_clock::time_point::max();
  if (state.fatal)
    throw_bound(state, "Duktape fatal error: " + std::string(state.fatal_message.data()));
  if (result != DUK_EXEC_SUCCESS) {
    // duk_safe_to_string needs no memory for a message that is already a
    // string; the allocator may refuse everything now.
    std::string detail = duk_safe_to_string(context_, -1);
    duk_pop(context_);
    // Duktape's own limits (call stack, C recursion) leave the heap sound,
    // but an error escaping the prelude means something unforeseen: discard.
    state.broken = true;
    throw_bound(state, detail);
  }
  duk_size_t length = 0;
  const char* text = duk_get_lstring(context_, -1, &length);
  std::string line = text == nullptr ? std::string("E") : std::string(text, length);
  duk_pop(context_);
  const bool failed = line.empty() || line[0] == 'E';
  if ((state.time_exceeded || state.memory_refused) && failed) throw_bound(state, line);
  return line;
}

void Heap::raise_fatal_error_for_test() {
  guarded_safe_call(context_, *state_, call_fatal, nullptr);
  if (state_->fatal)
    throw_bound(*state_, "Duktape fatal error: " + std::string(state_->fatal_message.data()));
}

}  // namespace loveless::jsonata::detail
