#pragma once

// The JavaScript compiled into the library (cmake/embed_js.cmake generates
// the definition from js/): our polyfills, jsonata's build and our prelude,
// in the order a context loads them.

#include <span>
#include <string_view>

namespace loveless::jsonata::detail {

struct EmbeddedScript {
  std::string_view name;
  std::string_view source;
};

std::span<const EmbeddedScript> embedded_scripts();

}  // namespace loveless::jsonata::detail
