#pragma once

// The C++ functions a context's JavaScript calls (js/loveless_prelude.js).

#include <js/TypeDecls.h>

namespace loveless::jsonata::detail {

/// Defines on `global` __loveless_digest(algorithm, data) -> lowercase hex or
/// undefined for an unknown algorithm, and __loveless_uuid() -> a version 4
/// UUID. False with an exception pending when the engine is out of memory.
bool register_native_functions(JSContext* context, JS::HandleObject global);

}  // namespace loveless::jsonata::detail
