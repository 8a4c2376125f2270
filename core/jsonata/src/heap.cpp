#include "heap.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "embedded_js.hpp"
#include "native_functions.hpp"
#include "spidermonkey.hpp"
#include <malloc.h>
#include <pthread.h>

namespace loveless::jsonata::detail {

struct HeapState {
  JSContext* context = nullptr;
  std::unique_ptr<JS::PersistentRootedObject> global;
  std::size_t cap_bytes = 0;
  // Set by the watchdog thread when the call's deadline passed.
  std::atomic<bool> time_exceeded{false};
  // Set on the context's thread: SpiderMonkey ran out of memory, or a
  // measurement found the context beyond cap_bytes.
  bool memory_refused = false;
  // Set when a call failed outside jsonata: the context's state is unknown.
  bool broken = false;
  // Set by the GC callback during a call: the interrupt callback measures.
  bool measure_memory = false;
  bool in_call = false;
  std::string failure_message;
};

namespace {

// ---------------------------------------------------------------------------
// Process-wide SpiderMonkey: JS_Init once; JS_ShutDown at exit once every
// context is destroyed (shut_down_engine, which the evaluator threads' pool
// calls after stopping them).
std::mutex& creation_mutex() {
  static auto* mutex = new std::mutex;
  return *mutex;
}

// Guarded by creation_mutex().
bool engine_started = false;
bool engine_stopped = false;
std::size_t live_contexts = 0;

bool initialize_engine() {
  if (engine_stopped) return false;
  if (!engine_started) engine_started = JS_Init();
  return engine_started;
}

// ---------------------------------------------------------------------------
// The watchdog: one thread that interrupts the contexts whose call passed its
// deadline (JS_RequestInterruptCallback is the one JSAPI call another thread
// may make), and again every few milliseconds until the call ends.
class Watchdog {
 public:
  static Watchdog& instance() {
    // Leaked: its thread waits until the process ends.
    static auto* watchdog = new Watchdog;
    return *watchdog;
  }

  void watch(HeapState* state, std::chrono::steady_clock::time_point deadline) {
    {
      std::lock_guard lock(mutex_);
      watched_.push_back({state, deadline});
    }
    changed_.notify_one();
  }

  void unwatch(HeapState* state) {
    std::lock_guard lock(mutex_);
    std::erase_if(watched_, [&](const Entry& entry) { return entry.state == state; });
  }

 private:
  struct Entry {
    HeapState* state;
    std::chrono::steady_clock::time_point deadline;
  };

  Watchdog() {
    std::thread([this] { run(); }).detach();
  }

  [[noreturn]] void run() {
    constexpr auto kRepeat = std::chrono::milliseconds(5);
    std::unique_lock lock(mutex_);
    while (true) {
      auto next = std::chrono::steady_clock::time_point::max();
      const auto now = std::chrono::steady_clock::now();
      for (Entry& entry : watched_) {
        if (entry.deadline <= now) {
          entry.state->time_exceeded = true;
          JS_RequestInterruptCallback(entry.state->context);
          entry.deadline = now + kRepeat;
        }
        next = std::min(next, entry.deadline);
      }
      if (next == std::chrono::steady_clock::time_point::max()) {
        changed_.wait(lock);
      } else {
        changed_.wait_until(lock, next);
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Entry> watched_;
};

// ---------------------------------------------------------------------------
// Bounds inside the context.

HeapState& state_of(JSContext* context) {
  return *static_cast<HeapState*>(JS_GetContextPrivate(context));
}

std::size_t usable_size(const void* pointer) {
  return malloc_usable_size(const_cast<void*>(pointer));  // NOLINT: the C API takes void*
}

// The context's bytes: its GC cells and the malloc blocks they own (array
// elements, string characters), which JSGC_MAX_BYTES does not count.
std::size_t measured_bytes(JSContext* context, HeapState& state) {
  JS::TabSizes sizes;
  JS::RootedObject global(context, *state.global);
  if (!JS::AddSizeOfTab(context, global, usable_size, nullptr, &sizes)) return 0;
  return sizes.objects_ + sizes.strings_ + sizes.private_ + sizes.other_;
}

bool on_interrupt(JSContext* context) {
  HeapState& state = state_of(context);
  if (state.time_exceeded) {
    js::StopDrainingJobQueue(context);
    return false;
  }
  if (state.measure_memory && state.in_call) {
    state.measure_memory = false;
    if (measured_bytes(context, state) > state.cap_bytes) {
      state.memory_refused = true;
      js::StopDrainingJobQueue(context);
      return false;
    }
  }
  return true;
}

// A major GC ran: SpiderMonkey runs one when malloc'ed memory grows, so
// measuring after each keeps the malloc'ed part bounded too.
void on_gc(JSContext* context, JSGCStatus status, JS::GCReason /*reason*/, void* data) {
  auto& state = *static_cast<HeapState*>(data);
  if (status == JSGC_END && state.in_call) {
    state.measure_memory = true;
    JS_RequestInterruptCallback(context);
  }
}

void on_out_of_memory(JSContext* /*context*/, void* data) {
  static_cast<HeapState*>(data)->memory_refused = true;
}

// __loveless_fail_for_test(): fails uncatchably, as an engine failure would.
bool fail_for_test(JSContext* context, unsigned /*argc*/, JS::Value* /*vp*/) {
  state_of(context).failure_message = "raised by a test";
  return false;
}

// The native stack SpiderMonkey may use on this thread before it raises
// "too much recursion": half the thread's stack, the rest left to our frames
// and the sanitizers'.
std::size_t stack_quota() {
  std::size_t size = std::size_t{1} << 20U;
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
    pthread_attr_getstacksize(&attributes, &size);
    pthread_attr_destroy(&attributes);
  }
  return size / 2;
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

// The pending exception as text (and cleared), or the reason a call failed
// without one (an uncatchable error).
std::string take_exception(JSContext* context, HeapState& state) {
  if (!JS_IsExceptionPending(context)) {
    return state.failure_message.empty() ? std::string("uncatchable error") : state.failure_message;
  }
  JS::RootedValue exception(context);
  const bool got = JS_GetPendingException(context, &exception);
  JS_ClearPendingException(context);
  if (!got) return "unknown exception";
  JS::RootedString text(context, JS::ToString(context, exception));
  if (text == nullptr) {
    JS_ClearPendingException(context);
    return "exception without text";
  }
  JS::UniqueChars chars = JS_EncodeStringToUTF8(context, text);
  JS_ClearPendingException(context);
  return chars ? std::string(chars.get()) : std::string("exception without text");
}

bool load_scripts(JSContext* context, JS::HandleObject global, const Limits& limits) {
  if (!JS_DefineProperty(context, global, "global", global, 0)) return false;
  if (!register_native_functions(context, global)) return false;
  for (const EmbeddedScript& script : embedded_scripts()) {
    const std::string name(script.name);
    JS::CompileOptions options(context);
    options.setFileAndLine(name.c_str(), 1);
    JS::SourceText<mozilla::Utf8Unit> source;
    if (!source.init(context, script.source.data(), script.source.size(),
                     JS::SourceOwnership::Borrowed)) {
      return false;
    }
    JS::RootedValue ignored(context);
    if (!JS::Evaluate(context, options, source, &ignored)) return false;
  }
  JS::RootedValue depth(context, JS::Int32Value(limits.depth));
  JS::RootedValue mib(context, JS::NumberValue(static_cast<double>(limits.memory_bytes >> 20U)));
  return JS_SetProperty(context, global, "__loveless_max_depth", depth) &&
         JS_SetProperty(context, global, "__loveless_memory_mib", mib);
}

void destroy_context(HeapState& state) {
  if (state.context == nullptr) return;
  state.global.reset();
  JS_DestroyContext(state.context);
  state.context = nullptr;
  std::lock_guard lock(creation_mutex());
  --live_contexts;
}

const JSClass global_class = {
    "global", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps, nullptr, nullptr, nullptr};

}  // namespace

Heap::Heap(const Limits& limits) : state_(std::make_unique<HeapState>()) {
  HeapState& state = *state_;
  state.cap_bytes = limits.memory_bytes;
  const auto gc_cap = static_cast<std::uint32_t>(
      std::min<std::size_t>(limits.memory_bytes, std::numeric_limits<std::uint32_t>::max()));
  {
    // SpiderMonkey wants its initialisation and context creation serialised.
    std::lock_guard lock(creation_mutex());
    if (!initialize_engine()) throw_bound(state, "JS_Init failed");
    state.context = JS_NewContext(gc_cap);
    if (state.context == nullptr) {
      state.memory_refused = true;
      throw_bound(state, "JS_NewContext failed");
    }
    ++live_contexts;
  }
  JSContext* context = state.context;
  JS_SetContextPrivate(context, &state);
  JS_SetNativeStackQuota(context, stack_quota());
  JS_SetGCParameter(context, JSGC_MAX_BYTES, gc_cap);
  JS::SetOutOfMemoryCallback(context, on_out_of_memory, &state);
  JS_AddInterruptCallback(context, on_interrupt);
  JS_SetGCCallback(context, on_gc, &state);
  std::string failure;
  if (!js::UseInternalJobQueues(context) || !JS::InitSelfHostedCode(context)) {
    failure = "SpiderMonkey could not initialise a context";
  } else {
    JS::RealmOptions options;
    JS::RootedObject global(context, JS_NewGlobalObject(context, &global_class, nullptr,
                                                        JS::FireOnNewGlobalHook, options));
    if (global == nullptr) {
      failure = "SpiderMonkey could not create a global: " + take_exception(context, state);
    } else {
      JSAutoRealm realm(context, global);
      state.global = std::make_unique<JS::PersistentRootedObject>(context, global);
      if (!load_scripts(context, global, limits)) {
        failure = "the embedded JavaScript does not load: " + take_exception(context, state);
      }
    }
  }
  if (!failure.empty()) {
    destroy_context(state);
    throw_bound(state, failure);
  }
}

Heap::~Heap() { destroy_context(*state_); }

void shut_down_engine() {
  std::lock_guard lock(creation_mutex());
  if (!engine_started || engine_stopped || live_contexts != 0) return;
  engine_stopped = true;
  JS_ShutDown();
}

bool Heap::usable() const {
  return !state_->broken && !state_->time_exceeded && !state_->memory_refused;
}

std::string Heap::call(const char* function_name, std::string_view arg0, std::string_view arg1,
                       std::string_view arg2, std::chrono::milliseconds time) {
  HeapState& state = *state_;
  JSContext* context = state.context;
  JS::RootedObject global(context, *state.global);
  JSAutoRealm realm(context, global);
  std::string line;
  bool ok = true;
  state.in_call = true;
  state.failure_message.clear();
  Watchdog::instance().watch(&state, std::chrono::steady_clock::now() + time);
  {
    JS::RootedValueArray<3> arguments(context);
    const std::string_view texts[3] = {arg0, arg1, arg2};
    for (std::size_t i = 0; i < 3 && ok; ++i) {
      JSString* text =
          JS_NewStringCopyUTF8N(context, JS::UTF8Chars(texts[i].data(), texts[i].size()));
      if (text == nullptr) {
        ok = false;
      } else {
        arguments[i].setString(text);
      }
    }
    JS::RootedValue result(context);
    ok = ok && JS_CallFunctionName(context, global, function_name, arguments, &result);
    // The evaluation runs in promise jobs: run them until none is left (or
    // the interrupt callback stopped the queue).
    if (ok) js::RunJobs(context);
    ok = ok && JS_CallFunctionName(context, global, "__loveless_outcome",
                                   JS::HandleValueArray::empty(), &result);
    if (ok && result.isString()) {
      JS::RootedString text(context, result.toString());
      JS::UniqueChars chars = JS_EncodeStringToUTF8(context, text);
      if (chars) {
        line = chars.get();
      } else {
        ok = false;
      }
    } else if (ok) {
      line = "E";
    }
  }
  Watchdog::instance().unwatch(&state);
  state.in_call = false;
  state.measure_memory = false;
  if (!ok) {
    const std::string detail = take_exception(context, state);
    // An error escaping the prelude (it catches everything jsonata raises)
    // means a bound or something unforeseen: the context is discarded.
    state.broken = true;
    throw_bound(state, detail);
  }
  const bool failed = line.empty() || line[0] == 'E';
  if ((state.time_exceeded || state.memory_refused) && failed) throw_bound(state, line);
  return line;
}

void Heap::raise_fatal_error_for_test() {
  JSContext* context = state_->context;
  {
    JS::RootedObject global(context, *state_->global);
    JSAutoRealm realm(context, global);
    if (JS_DefineFunction(context, global, "__loveless_fail_for_test", fail_for_test, 0, 0) ==
        nullptr) {
      throw_bound(*state_, "JS_DefineFunction failed");
    }
  }
  call("__loveless_fail_for_test", {}, {}, {}, std::chrono::seconds(10));
}

}  // namespace loveless::jsonata::detail
