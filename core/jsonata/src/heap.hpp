#pragma once

// One SpiderMonkey context (its own runtime and heap) with jsonata loaded:
// it belongs to the thread that made it, which runs one call at a time.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "loveless/jsonata/evaluator.hpp"

namespace loveless::jsonata::detail {

struct HeapState;

/// Not thread-safe: only the thread that made it may use or destroy it
/// (the evaluator threads of heap_pool.cpp each own one).
class Heap {
 public:
  /// Creates the context on the calling thread and loads the embedded
  /// JavaScript. Throws EvaluationError L0002 when the context cannot be made
  /// within limits.memory_bytes, L0003 when the JavaScript does not load.
  explicit Heap(const Limits& limits);
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  /// Calls the prelude's `function_name` (js/loveless_prelude.js) with string
  /// arguments, runs the promise jobs it queued, then calls the prelude's
  /// __loveless_outcome and returns the answer line it returns. `time` bounds
  /// the whole. Throws EvaluationError L0001 (time), L0002 (memory) or L0003
  /// (a failure outside jsonata); the heap is then no longer usable().
  std::string call(const char* function_name, std::string_view arg0, std::string_view arg1,
                   std::string_view arg2, std::chrono::milliseconds time);

  /// False once a call hit a bound or the engine failed: its state is
  /// suspect, its thread makes a new one.
  bool usable() const;

  /// Ends a call the way an engine failure outside jsonata would (an
  /// uncatchable error), for tests: L0003, and the process survives it.
  void raise_fatal_error_for_test();

 private:
  std::unique_ptr<HeapState> state_;
};

/// At process exit, once every Heap is destroyed: JS_ShutDown, so that
/// SpiderMonkey's own static destructors find its threads and locks idle.
/// Does nothing while a Heap lives or when SpiderMonkey was never started.
void shut_down_engine();

}  // namespace loveless::jsonata::detail
