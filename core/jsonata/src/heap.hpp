#pragma once

// One Duktape heap with jsonata loaded: the unit the pool hands to one thread
// for one evaluation at a time.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "loveless/jsonata/evaluator.hpp"

struct duk_hthread;

namespace loveless::jsonata::detail {

struct HeapState;

/// Not thread-safe: one thread at a time (the pool's lease guarantees it).
class Heap {
 public:
  /// Creates the heap and loads the embedded JavaScript (about 25 ms).
  /// Throws EvaluationError L0002 when the heap cannot be created within
  /// limits.memory_bytes, L0003 when the JavaScript does not load.
  explicit Heap(const Limits& limits);
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  /// Calls the prelude's `function_name` (js/loveless_prelude.js) with string
  /// arguments and returns the string it returns: the prelude's answer line.
  /// `time` bounds the call. Throws EvaluationError L0001 (time), L0002
  /// (memory) or L0003 (a JavaScript or Duktape failure outside jsonata);
  /// the heap is then no longer usable().
  std::string call(const char* function_name, std::string_view arg0, std::string_view arg1,
                   std::string_view arg2, std::chrono::milliseconds time);

  /// False once a call hit a bound or Duktape failed: its state is suspect,
  /// the pool discards it.
  bool usable() const;

  /// Raises a Duktape fatal error inside the heap as a Duktape bug would
  /// (tests: the process must survive it).
  void raise_fatal_error_for_test();

 private:
  // Destroys the Duktape heap, or abandons it after a fatal error.
  void destroy_context();

  std::unique_ptr<HeapState> state_;
  duk_hthread* context_ = nullptr;
};

}  // namespace loveless::jsonata::detail
