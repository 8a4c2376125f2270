#pragma once

// The C++ functions a heap's JavaScript calls (js/loveless_prelude.js).

struct duk_hthread;

namespace loveless::jsonata::detail {

/// Defines the globals __loveless_over_budget() -> boolean,
/// __loveless_digest(algorithm, data) -> lowercase hex or undefined for an
/// unknown algorithm, and __loveless_uuid() -> a version 4 UUID.
/// Call inside a protected call (it may raise a Duktape error).
void register_native_functions(duk_hthread* context);

}  // namespace loveless::jsonata::detail
