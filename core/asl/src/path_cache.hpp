#pragma once

#include <string_view>

#include "loveless/asl/json_path.hpp"

namespace loveless::asl {

/// The compiled form of `text`, compiled on first use and shared afterwards:
/// payload templates and Choice rules name their paths as strings in the
/// definition, and must not re-parse them on every evaluation.
/// Thread-safe. Throws `JsonPathSyntaxError` like `JsonPath::compile`.
JsonPath cached_path(std::string_view text);

}  // namespace loveless::asl
